import type { Me } from './api-types.js';

export const PAGES = [
  { path: '/', label: 'Approvals' },
  { path: '/sessions', label: 'Sessions' },
  { path: '/journal', label: 'Journal' },
  { path: '/identities', label: 'Identities & grants' },
  { path: '/overview', label: 'Overview' },
] as const;

export type PagePath = (typeof PAGES)[number]['path'];

interface Props {
  readonly me: Me;
  readonly current: PagePath;
  readonly onNavigate: (path: PagePath) => void;
  readonly onSignOut: () => void;
}

/** The pages, and who is signed in with which roles. */
export function NavBar({ me, current, onNavigate, onSignOut }: Props) {
  return (
    <header class="top-bar">
      <div class="brand">Sluice</div>
      <nav aria-label="Pages">
        <ul>
          {PAGES.map((page) => (
            <li key={page.path}>
              <a
                href={page.path}
                aria-current={page.path === current ? 'page' : undefined}
                onClick={(event) => {
                  if (event.ctrlKey || event.metaKey || event.shiftKey) return;
                  event.preventDefault();
                  onNavigate(page.path);
                }}
              >
                {page.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="who">
        <span>
          {me.name} <span class="roles">({me.roles.length ? me.roles.join(', ') : 'no role'})</span>
        </span>
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
