import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { Approval } from './api-types.js';
import { ErrorNote } from './empty-state.js';
import { messageOf } from './hooks.js';

/** Approve, or deny with a reason: the decision reaches the waiting client at once. */
export function ApprovalDecision({ api, request }: { readonly api: Api; readonly request: Approval }) {
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const reasonField = useRef<HTMLInputElement>(null);
  // Choosing "Deny…" moves the keyboard to the reason it asks for.
  useEffect(() => {
    if (denying) reasonField.current?.focus();
  }, [denying]);
  const id = request.id;
  const act = async (path: string, body: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/approvals/${encodeURIComponent(id)}/${path}`, body);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  if (denying) {
    return (
      <form
        class="decision"
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim()) void act('deny', { reason: reason.trim() });
        }}
      >
        <label for={`reason-${id}`}>Why deny this statement? The client sees this reason.</label>
        <input
          id={`reason-${id}`}
          ref={reasonField}
          value={reason}
          required
          maxLength={1000}
          onInput={(event) => setReason(event.currentTarget.value)}
          placeholder="e.g. use a WHERE clause that names the rows"
        />
        <div class="buttons">
          <button type="submit" class="deny" disabled={busy || !reason.trim()}>
            Deny with this reason
          </button>
          <button type="button" onClick={() => setDenying(false)} disabled={busy}>
            Cancel
          </button>
        </div>
        <ErrorNote message={error} />
      </form>
    );
  }
  return (
    <div class="decision">
      <div class="buttons">
        <button type="button" class="approve" disabled={busy} onClick={() => void act('approve', {})}>
          Approve
        </button>
        <button type="button" class="deny" disabled={busy} onClick={() => setDenying(true)}>
          Deny…
        </button>
      </div>
      <ErrorNote message={error} />
    </div>
  );
}
