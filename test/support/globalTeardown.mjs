export default async function globalTeardown() {
  await globalThis.__shuangchengTestCluster?.stop();
}
