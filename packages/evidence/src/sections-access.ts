import { DAY_MS, type ReportContext } from './report-context.js';
import type { ControlSection } from './report-types.js';
import { ranked } from './statement-stats.js';

/** AC-2: account and grant events, unused identities, revoked or expired ones that still tried. */
export function accountManagement(context: ReportContext): ControlSection {
  const { events, accounts, extent, now } = context;
  const unusedSince = now.getTime() - context.unusedDays * DAY_MS;
  const unused = accounts.filter((account) => {
    if (account.status !== 'active') return false;
    const last = extent.lastSignIn.get(account.name);
    return last === undefined || new Date(last).getTime() < unusedSince;
  });
  const pastExpiry = accounts.filter(
    (account) => account.status === 'active' && account.expiresAt !== null && account.expiresAt <= now,
  );
  return {
    control: 'AC-2',
    title: 'Account management',
    enforced:
      'Service accounts are created, rotated, modified and revoked only through Sluice, each change a chained account record with the actor; revocation closes open sessions. Grants are time-bound and expire by themselves; every grant change is journalled.',
    facts: [
      { label: 'Service accounts', value: accounts.length },
      { label: 'Active', value: accounts.filter((a) => a.status === 'active').length },
      { label: 'Revoked', value: accounts.filter((a) => a.status === 'revoked').length },
      { label: 'Account events in the period', value: events.accountEvents.length },
      { label: 'Grant events in the period', value: events.grantEvents.length },
      { label: `Active accounts unused for ${context.unusedDays} days or never used`, value: unused.length },
      { label: 'Active service accounts past their expiry', value: pastExpiry.length },
      { label: 'Sign-in attempts by revoked or expired identities', value: events.lockedOutAttempts.length },
    ],
    tables: [
      {
        title: 'Account events',
        columns: ['Record', 'Time', 'Action', 'Account', 'Actor', 'Groups', 'Expires'],
        rows: events.accountEvents.map((e) => [`#${e.seq}`, e.at, ...e.cells]),
      },
      {
        title: 'Grant events',
        columns: ['Record', 'Time', 'Action', 'Identity or group', 'Connection', 'Allow', 'Actor', 'Expires'],
        rows: events.grantEvents.map((e) => [`#${e.seq}`, e.at, ...e.cells]),
      },
      {
        title: 'Service accounts',
        columns: ['Account', 'Groups', 'Status', 'Created', 'Expires', 'Last sign-in'],
        rows: accounts.map((a) => [
          a.name,
          a.groups.join(', '),
          a.status,
          a.createdAt.toISOString(),
          a.expiresAt?.toISOString() ?? 'never',
          extent.lastSignIn.get(a.name) ?? 'never',
        ]),
      },
      {
        title: 'Revoked or expired identities that still tried to connect',
        columns: ['Record', 'Time', 'User', 'Cause', 'Attempts', 'Host', 'Connection'],
        rows: events.lockedOutAttempts.map((e) => [`#${e.seq}`, e.at, ...e.cells]),
      },
    ],
  };
}

/** IA-2: sign-ins by method, failures by cause and identity. */
export function identification(context: ReportContext): ControlSection {
  const { events } = context;
  const signIns = [...events.signInsByMethod.values()].reduce((sum, n) => sum + n, 0);
  return {
    control: 'IA-2',
    title: 'Identification and authentication',
    enforced:
      'Every caller authenticates to Sluice: service accounts by SCRAM-SHA-256 or MySQL verifiers (Sluice keeps verifiers, never secrets), people by OIDC tokens verified for signature, issuer, audience and expiry. Callers never receive upstream credentials. Failed sign-ins are journalled (bursts coalesced, with a count).',
    facts: [
      { label: 'Sign-ins (sessions started)', value: signIns },
      { label: 'Failed sign-ins', value: events.failedSignIns },
      { label: 'Identities that signed in', value: events.signInsByIdentity.size },
    ],
    tables: [
      {
        title: 'Sign-ins by method',
        columns: ['Method', 'Sign-ins'],
        rows: ranked(events.signInsByMethod),
      },
      {
        title: 'Failed sign-ins by cause',
        columns: ['Cause', 'Failures'],
        rows: ranked(events.failuresByCause),
      },
      {
        title: 'Failed sign-ins by identity',
        columns: ['User', 'Failures', 'Causes', 'Records'],
        rows: [...events.failuresByUser.entries()]
          .sort((a, b) => b[1].count - a[1].count)
          .slice(0, 20)
          .map(([user, f]) => [
            user,
            f.count,
            [...f.causes].join(', '),
            f.seqs
              .slice(0, 5)
              .map((s) => `#${s}`)
              .join(' '),
          ]),
      },
    ],
  };
}
