import { useEffect, useState } from 'preact/hooks';
import { ApprovalsInbox } from './approvals-inbox.js';
import { IdentitiesPage } from './identities-page.js';
import { JournalPage } from './journal-page.js';
import { NavBar, PAGES, type PagePath } from './nav-bar.js';
import { OverviewPage } from './overview-page.js';
import { SessionsPage } from './sessions-page.js';
import { SignIn } from './sign-in.js';
import { useSignIn } from './use-sign-in.js';

/** Signed in or not, and which page: the path is the page, so a reload or a link lands on it. */
export function App() {
  const { signed, notice, signIn, signOut } = useSignIn();
  const [path, setPath] = useState<PagePath>(pageOf(location.pathname));

  useEffect(() => {
    const onPop = () => setPath(pageOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  if (signed === undefined) return <p class="loading">Signing in…</p>;
  if (signed === null) return <SignIn onSignedIn={signIn} notice={notice} />;
  const go = (next: PagePath) => {
    history.pushState(null, '', next);
    setPath(next);
    document.getElementById('main')?.focus();
  };
  const { api, me } = signed;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <NavBar me={me} current={path} onNavigate={go} onSignOut={() => signOut()} />
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
