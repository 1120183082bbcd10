// SPDX-License-Identifier: Apache-2.0
// Loads a module of screens on first use (a separate bundle chunk) and shows a spinner meanwhile.
import { lazy, Suspense, type ComponentType } from 'react';
import { Spinner } from '@/components/ui/spinner';

type Screens<M> = { [K in keyof M]: ComponentType };

export function lazyRoute<M extends Record<string, unknown>>(load: () => Promise<M>): Screens<M> {
  let loading: Promise<M> | null = null;
  const cache = new Map<string, ComponentType>();
  return new Proxy({} as Screens<M>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      let screen = cache.get(name);
      if (!screen) {
        const Lazy = lazy(async () => {
          loading ??= load();
          const module = await loading;
          return { default: module[name] as ComponentType };
        });
        screen = function LazyScreen() {
          return (
            <Suspense fallback={<Spinner />}>
              <Lazy />
            </Suspense>
          );
        };
        cache.set(name, screen);
      }
      return screen;
    },
  });
}
