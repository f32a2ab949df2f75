import type { ComponentChildren } from 'preact';

/** What an empty list means, and what to do about it. */
export function EmptyState({
  title,
  children,
}: {
  readonly title: string;
  readonly children: ComponentChildren;
}) {
  return (
    <div class="empty-state">
      <p class="empty-title">{title}</p>
      <p>{children}</p>
    </div>
  );
}

export function ErrorNote({ message }: { readonly message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="error" role="alert">
      {message}
    </p>
  );
}
