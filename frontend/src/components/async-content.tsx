// SPDX-License-Identifier: Apache-2.0
// The four states of a screen's data in one place: loading, error (forbidden, not found,
// unreachable…), empty, and the content; plus "show more" for paged lists.
import type { ReactNode } from 'react';
import { ErrorState } from './errors/error-state';
import { EmptyState } from './ui/empty-state';
import { Spinner } from './ui/spinner';

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
}

export function AsyncContent({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: QueryLike;
  isEmpty: boolean;
  empty: ReactNode;
  children: ReactNode;
}) {
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty) return <EmptyState>{empty}</EmptyState>;
  return <>{children}</>;
}

interface PagedQueryLike {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

export function LoadMore({ query, label }: { query: PagedQueryLike; label: string }) {
  if (!query.hasNextPage) return null;
  return (
    <div>
      <button
        type="button"
        className="button button--secondary"
        disabled={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      >
        {label}
      </button>
    </div>
  );
}
