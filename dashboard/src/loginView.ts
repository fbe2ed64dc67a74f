import { h } from './dom';
import { both, TEXT } from './labels';
import { signInFailureText } from './refusalMessages';

export interface LoginHandlers {
  /** Username and password → token (one-key login); rejects with a message to show. */
  signIn(username: string, password: string): Promise<void>;
  /** A read-only dashboard token pasted as it is. */
  useToken(token: string): void;
}

/** The sign-in screen: one-key login, or a dashboard token. `message` explains why it is shown (e.g. an expired sign-in). */
export function renderLoginView(root: HTMLElement, handlers: LoginHandlers, message = ''): void {
  const error = h('p', { class: 'login-error', role: 'alert', 'data-testid': 'login-error' }, message);
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, both(TEXT.signIn));
  const loginForm = h('form', { class: 'login-form', 'data-testid': 'login-form' },
    h('label', null, both(TEXT.username), username),
    h('label', null, both(TEXT.password), password),
    submit);
  loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    handlers.signIn(username.value.trim(), password.value).catch((failure: unknown) => {
      error.textContent = signInFailureText(failure);
      submit.disabled = false;
      password.select();
    });
  });

  const token = h('textarea', { name: 'token', rows: 3, required: true, spellcheck: 'false', autocomplete: 'off' });
  const tokenForm = h('form', { class: 'token-form', 'data-testid': 'token-form' },
    h('label', null, both(TEXT.token), token),
    h('button', { type: 'submit' }, both(TEXT.signIn)));
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = token.value.trim().replace(/^Bearer\s+/i, '');
    if (value) handlers.useToken(value);
  });

  root.replaceChildren(h('main', { class: 'login' },
    h('div', { class: 'login-card' },
      h('h1', null, h('span', { class: 'zh' }, TEXT.title.zh), h('span', { class: 'en' }, TEXT.title.en)),
      h('p', { class: 'hint' }, TEXT.loginHint.zh, h('br'), TEXT.loginHint.en),
      loginForm,
      h('details', { class: 'token-option' }, h('summary', null, both(TEXT.useToken)), tokenForm),
      error)));
  document.body.dataset['view'] = 'login';
}
