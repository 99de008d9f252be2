import { describe, expect, it } from 'vitest';
import { allSearchAttributeKeys } from '../../schemas/temporal-names.js';
import { createLogger } from '../../src/logger.js';
import { ensureNamespaceReady, NamespaceSetupError, type SetupConnection } from '../../src/temporal/namespace-setup.js';

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

/** A server like Temporal Cloud's: the namespace exists, its operator service refuses to add attributes. */
function cloudLikeConnection(): SetupConnection {
  return {
    workflowService: { describeNamespace: async () => ({}) },
    operatorService: {
      listSearchAttributes: async () => ({ customAttributes: {} }),
      addSearchAttributes: async () => {
        throw grpcError(7, '7 PERMISSION_DENIED: Request unauthorized.');
      },
    },
  } as unknown as SetupConnection;
}

describe('ensureNamespaceReady where the attributes cannot be added', () => {
  it('stops with an error that names every attribute and the tcld command', async () => {
    const setup = ensureNamespaceReady(cloudLikeConnection(), {
      namespace: 'acme.a1b2c',
      searchAttributes: allSearchAttributeKeys,
      logger: createLogger('silent'),
    });
    const error = await setup.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NamespaceSetupError);
    const { message, command } = error as NamespaceSetupError;
    for (const key of allSearchAttributeKeys) expect(message).toContain(key.name);
    expect(message).toContain('PERMISSION_DENIED');
    expect(command).toContain(
      'tcld namespace search-attributes add --namespace acme.a1b2c --search-attribute "NewloomStreamId=Keyword"',
    );
    expect(command).toContain(
      'temporal operator search-attribute create --namespace acme.a1b2c --name NewloomStreamId --type Keyword',
    );
  });
});
