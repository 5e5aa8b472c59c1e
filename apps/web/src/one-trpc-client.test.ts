// The app's query options (@trpc/tanstack-react-query) and its client (@tasks/client) must share one
// @trpc/client: two copies put both in the bundle and make each one's TRPCClientError a stranger to
// the other's checks. tanstack-react-query pins its peer to its own release, so the app names the
// workspace's @trpc/client itself.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const fromWeb = createRequire(new URL('../package.json', import.meta.url));
/** The folder of the @trpc/client that the package at `entry` imports. */
const trpcClientOf = (entry: string) => realpathSync(dirname(createRequire(realpathSync(entry)).resolve('@trpc/client/package.json')));

describe('one @trpc/client in the web app', () => {
  it('is the copy its query options and its typed client both import', () => {
    const viaQueryOptions = trpcClientOf(fromWeb.resolve('@trpc/tanstack-react-query'));
    const viaTasksClient = trpcClientOf(fromWeb.resolve('@tasks/client'));
    expect(viaQueryOptions).toBe(viaTasksClient);
  });
});
