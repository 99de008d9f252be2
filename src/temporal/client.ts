import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  isGrpcServiceError,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';

/** gRPC's interceptor type, as the SDK takes it (@grpc/grpc-js is the SDK's dependency, not ours). */
type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/** gRPC status codes (grpc.status) that mean the server did not answer. */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** TLS and credentials for a server that wants them (Temporal Cloud); empty for a plain connection. */
export interface TemporalTransport {
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
  apiKey?: string;
}

export interface TemporalClientSettings {
  address: string;
  namespace: string;
  transport?: TemporalTransport | undefined;
  /**
   * How long a call may take, retries included, when its caller set no deadline.
   * @default 4 s — with Temporal down the SDK retries for ~20 s before failing, and an API request
   * should answer 503 long before its client gives up.
   */
  callDeadlineMs?: number;
}

export const DEFAULT_CALL_DEADLINE_MS = 4000;

/**
 * How fast the channel reconnects after Temporal comes back. gRPC's default backoff starts at 1 s and
 * grows by 1.6× to 120 s, so after an outage of a minute the client waits up to ~30 s to try again;
 * capped at 1 s it reconnects within about a second of the server answering.
 */
export const reconnectChannelArgs = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1000,
} as const;

/**
 * Calls that wait on purpose (a run's result, an update's outcome) get no default deadline: the server
 * answers them when there is something to say or after its own long-poll timeout.
 */
const LONG_POLL_METHODS =
  /\/(GetWorkflowExecutionHistory|PollWorkflowExecutionUpdate|UpdateWorkflowExecution|ExecuteMultiOperation|Poll\w+TaskQueue)$/;

/** Gives every short call a deadline unless its caller chose one (Client.withDeadline). */
function defaultDeadline(deadlineMs: number): Interceptor {
  return (options, nextCall) => {
    const withDeadline = options.deadline === undefined && !LONG_POLL_METHODS.test(options.method_definition.path);
    // The next call is an intercepting call already; grpc-js only types the result as its class.
    return nextCall(
      withDeadline ? { ...options, deadline: Date.now() + deadlineMs } : options,
    ) as ReturnType<Interceptor>;
  };
}

/** The connection options every NewLoom client uses: fast reconnects, and deadlines that stop retries. */
export function clientConnectionOptions(settings: Omit<TemporalClientSettings, 'namespace'>): ConnectionOptions {
  return {
    address: settings.address,
    ...(settings.transport?.tls ? { tls: settings.transport.tls } : {}),
    ...(settings.transport?.apiKey ? { apiKey: settings.transport.apiKey } : {}),
    channelArgs: reconnectChannelArgs,
    // Outermost first: the deadline wraps the SDK's own retries, which then stop at it.
    interceptors: [
      defaultDeadline(settings.callDeadlineMs ?? DEFAULT_CALL_DEADLINE_MS),
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions()),
    ],
  };
}

export async function connectClient(settings: TemporalClientSettings): Promise<Client> {
  const connection = await Connection.connect(clientConnectionOptions(settings));
  return new Client({ connection, namespace: settings.namespace });
}

/**
 * True when the error (or a cause of it) says Temporal did not answer — down, unreachable or too slow
 * — rather than that it refused the request.
 */
export function isTemporalUnavailable(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    current instanceof Error && depth < 5;
    current = current.cause, depth++
  ) {
    if (isGrpcServiceError(current)) {
      const code: number = current.code;
      if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
    }
    // The connection's own wait for the channel (Connection.connect, a lazy connection's first call).
    if (/Failed to connect before the deadline/.test(current.message)) return true;
  }
  return false;
}
