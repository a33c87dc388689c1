import { el } from '../dom.ts';

/**
 * The sign-in box: a key is typed (or pasted) here and kept for the tab's life. `message` says why
 * it is shown again (a key that was refused).
 */
export function signInView(message: string | null, onKey: (key: string) => void): HTMLElement {
  const input = el('input', { type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'rw_…' });
  const form = el(
    'form',
    { class: 'sign-in', id: 'sign-in' },
    el('h2', {}, 'Sign in'),
    el('p', {}, 'Paste an API key (ringwatch keys create). It stays in this tab only and is sent to this service alone.'),
    message ? el('p', { class: 'error', role: 'alert' }, message) : null,
    el('label', { for: 'api-key' }, 'API key'),
    input,
    el('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key) onKey(key);
  });
  queueMicrotask(() => input.focus());
  return form;
}
