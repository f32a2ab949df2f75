import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { ErrorNote } from './empty-state.js';
import { messageOf } from './hooks.js';

const ALLOWANCES = ['write', 'ddl', 'approve-free'] as const;

/** A time-bound widening for an identity or a group; it expires by itself. */
export function GrantForm({ api, onCreated }: { readonly api: Api; readonly onCreated: () => void }) {
  const [who, setWho] = useState('');
  const [isGroup, setIsGroup] = useState(false);
  const [connection, setConnection] = useState('');
  const [allow, setAllow] = useState<string[]>(['write']);
  const [duration, setDuration] = useState('30m');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  return (
    <form
      class="grant-form"
      aria-label="Create a grant"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await api.post('/api/grants', {
            [isGroup ? 'group' : 'identity']: who.trim(),
            connection: connection.trim(),
            allow,
            for: duration.trim(),
            reason: reason.trim(),
          });
          setError(undefined);
          setReason('');
          onCreated();
        } catch (failure) {
          setError(messageOf(failure));
        }
      }}
    >
      <h4 class="form-title">Create a grant</h4>
      <div class="field">
        <label for="grant-who">{isGroup ? 'Group' : 'Identity'}</label>
        <input id="grant-who" required value={who} onInput={(event) => setWho(event.currentTarget.value)} />
        <label class="check">
          <input
            type="checkbox"
            checked={isGroup}
            onChange={(event) => setIsGroup(event.currentTarget.checked)}
          />{' '}
          a group
        </label>
      </div>
      <div class="field">
        <label for="grant-connection">Connection</label>
        <input
          id="grant-connection"
          required
          value={connection}
          onInput={(event) => setConnection(event.currentTarget.value)}
        />
      </div>
      <fieldset class="field">
        <legend>Allow</legend>
        {ALLOWANCES.map((allowance) => (
          <label class="check" key={allowance}>
            <input
              type="checkbox"
              checked={allow.includes(allowance)}
              onChange={(event) =>
                setAllow((current) =>
                  event.currentTarget.checked
                    ? [...current, allowance]
                    : current.filter((each) => each !== allowance),
                )
              }
            />{' '}
            {allowance}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="grant-duration">For (e.g. 30m, 2h)</label>
        <input
          id="grant-duration"
          required
          value={duration}
          onInput={(event) => setDuration(event.currentTarget.value)}
        />
      </div>
      <div class="field wide">
        <label for="grant-reason">Reason</label>
        <input
          id="grant-reason"
          required
          value={reason}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </div>
      <div class="buttons">
        <button type="submit" disabled={allow.length === 0}>
          Create grant
        </button>
      </div>
      <ErrorNote message={error} />
    </form>
  );
}
