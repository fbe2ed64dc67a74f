export default async function globalTeardown() {
  await globalThis.__shuangchengBrowserSystem?.stop();
}
