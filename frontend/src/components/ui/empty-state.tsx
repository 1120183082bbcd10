// SPDX-License-Identifier: Apache-2.0
// What a list shows when it has nothing to show.
import type { ReactNode } from 'react';

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty-state">{children}</p>;
}
