// SPDX-License-Identifier: Apache-2.0
// Unknown address inside the application.
import { NotFound } from '@/components/errors/forbidden';

export function NotFoundRoute() {
  return <NotFound />;
}
