import { ApiClient } from './api.ts';
import { el, replace } from './dom.ts';
import { parseRoute, splitFragment } from './fragment.ts';
import { forgetKey, storedKey, storeKey, takeKeyFromFragment } from './session.ts';
import { ringListView } from './views/ringList.ts';
import { ringPageView } from './views/ringPage.ts';
import { signInView } from './views/signIn.ts';

/**
 * The ring viewer's entry: takes a key out of the fragment before anything else runs, then shows
 * the page the fragment names (fragment.ts), or the sign-in box while there is no key. A key the
 * service refuses (unknown, revoked) is forgotten and the sign-in box comes back.
 */

takeKeyFromFragment();

const main = document.getElementById('main')!;
const signOut = document.getElementById('sign-out') as HTMLButtonElement;
let dispose: (() => void) | null = null;
let refusal: string | null = null;

const api = (key: string) =>
  new ApiClient({
    key,
    onUnauthorized: (problem) => {
      forgetKey();
      refusal = `The service refused this key (${problem.title.toLowerCase()}): it is unknown or revoked. Sign in with another.`;
      // Whatever page asked, the answer is the sign-in box.
      queueMicrotask(render);
    },
  });

function render(flash: string | null = null): void {
  dispose?.();
  dispose = null;
  const key = storedKey();
  signOut.hidden = key === null;
  if (key === null) {
    replace(
      main,
      signInView(refusal, (typed) => {
        refusal = null;
        storeKey(typed);
        render();
      }),
    );
    return;
  }
  const route = parseRoute(splitFragment(location.hash).route);
  if (route.page === 'list') {
    document.title = 'Rings · ringwatch';
    replace(main, ringListView(api(key), route.filters));
  } else if (route.page === 'ring') {
    document.title = `${route.ringId} · ringwatch`;
    const view = ringPageView(api(key), route.ringId, flash, (message) => render(message));
    dispose = view.dispose;
    replace(main, view.element);
  } else {
    replace(main, el('p', {}, `No page ${route.path} here. `, el('a', { href: '#/' }, 'See the rings.')));
  }
}

signOut.addEventListener('click', () => {
  forgetKey();
  refusal = null;
  render();
});
window.addEventListener('hashchange', () => {
  // A link pasted with a key in it while the page is open.
  takeKeyFromFragment();
  render();
});
render();
