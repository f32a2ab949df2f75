import { useEffect, useState } from 'preact/hooks';
import { Api } from './api.js';
import type { Me } from './api-types.js';
import { ApprovalsInbox } from './approvals-inbox.js';
import { IdentitiesPage } from './identities-page.js';
import { JournalPage } from './journal-page.js';
import { NavBar, PAGES, type PagePath } from './nav-bar.js';
import { OverviewPage } from './overview-page.js';
import { SessionsPage } from './sessions-page.js';
import { SignIn } from './sign-in.js';

const TOKEN_KEY = 'sluice.token';

interface Signed {
  readonly api: Api;
  readonly me: Me;
}

/** Signed in or not, and which page: the path is the page, so a reload or a link lands on it. */
export function App() {
  const [signed, setSigned] = useState<Signed | null | undefined>(undefined);
  const [path, setPath] = useState<PagePath>(pageOf(location.pathname));

  useEffect(() => {
    const stored = sessionStorage.getItem(TOKEN_KEY);
    if (!stored) return setSigned(null);
    const api = new Api(stored);
    api.whoami().then(
      (me) => setSigned({ api, me }),
      () => {
        sessionStorage.removeItem(TOKEN_KEY);
        setSigned(null);
      },
    );
  }, []);

  useEffect(() => {
    const onPop = () => setPath(pageOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  if (signed === undefined) return <p class="loading">Loading…</p>;
  if (signed === null) {
    return (
      <SignIn
        onSignedIn={(api, me) => {
          sessionStorage.setItem(TOKEN_KEY, api.token);
          setSigned({ api, me });
        }}
      />
    );
  }
  const go = (next: PagePath) => {
    history.pushState(null, '', next);
    setPath(next);
    document.getElementById('main')?.focus();
  };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setSigned(null);
  };
  const { api, me } = signed;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <NavBar me={me} current={path} onNavigate={go} onSignOut={signOut} />
      <main id="main" tabIndex={-1}>
        {path === '/' && <ApprovalsInbox api={api} me={me} />}
        {path === '/sessions' && <SessionsPage api={api} me={me} />}
        {path === '/journal' && <JournalPage api={api} />}
        {path === '/identities' && <IdentitiesPage api={api} me={me} />}
        {path === '/overview' && <OverviewPage api={api} onNavigate={go} />}
      </main>
    </>
  );
}

function pageOf(pathname: string): PagePath {
  return PAGES.find((page) => page.path === pathname)?.path ?? '/';
}
