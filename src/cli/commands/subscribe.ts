import type { CreateSubscriptionOptions } from '../../index.js';
import type { Command } from '../command.js';
import { FILTER_OPTIONS, readFilter } from '../input.js';
import { nextEvent } from './wait.js';
import { printJsonNotification, sessionSchema, YANG_JSON_HELP, YANG_OPTIONS } from '../yang-schema.js';
import { NETMOD_NOTIFICATION_NS } from '../../namespaces.js';


export const subscribe: Command = {
  name: 'subscribe',
  summary: 'print event notifications as they arrive, until Ctrl-C',
  usage: '[--stream NAME] [--filter XML | --filter-file FILE | --xpath EXPR [--ns PREFIX=URI]...] [--start-time T [--stop-time T]]',
  description: `Sends <create-subscription> (RFC 5277; needs :notification) and prints each
notification as it arrives: pretty XML (the whole <notification>), --raw as
received, or --json one line of JSON per notification (NDJSON): RFC 7951 JSON in
RESTCONF's form {"ietf-restconf:notification": {"eventTime": …, "module:event": …}}
when the YANG modules are known (below), else the schema-less mapping. Runs until Ctrl-C
or SIGTERM, then closes the session cleanly (<close-session>) and exits 0; with
--stop-time it also ends after the server's notificationComplete. If the server
ends the session (kill-session, shutdown) the exit status is 3.
The stream is the server's default (NETCONF) unless --stream is given; a
"subscribed" line goes to stderr (not with --quiet) once the subscription is active.

${YANG_JSON_HELP}`,
  options: {
    stream: { type: 'string', value: 'NAME', help: 'event stream (default: the server\'s, NETCONF)' },
    ...FILTER_OPTIONS,
    'start-time': { type: 'string', value: 'TIME', help: 'replay from this RFC 3339 time (the stream must support replay)' },
    'stop-time': { type: 'string', value: 'TIME', help: 'end at this RFC 3339 time (needs --start-time)' },
    ...YANG_OPTIONS,
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const filter = await readFilter(ctx);
    const start = ctx.string('start-time');
    const stop = ctx.string('stop-time');
    for (const [option, value] of [['--start-time', start], ['--stop-time', stop]] as const) {
      if (value !== undefined && Number.isNaN(Date.parse(value))) throw ctx.usage(`${option} must be an RFC 3339 date-time (2024-05-01T12:00:00Z), got '${value}'`);
    }
    if (stop !== undefined && start === undefined) throw ctx.usage('--stop-time needs --start-time');
    const m = await ctx.connect();
    // Loaded before subscribing: no notification waits for the modules to be fetched.
    const schema = ctx.out.mode === 'json' ? await sessionSchema(ctx, m) : undefined;
    const options: CreateSubscriptionOptions = { signal: ctx.signal };
    const stream = ctx.string('stream');
    if (stream !== undefined) options.stream = stream;
    if (filter !== undefined) options.filter = filter;
    if (start !== undefined) options.startTime = start;
    if (stop !== undefined) options.stopTime = stop;
    await ctx.rpc('create-subscription', () => m.createSubscription(options));
    ctx.log.info(`subscribed to stream ${stream ?? 'NETCONF'} (session-id ${m.sessionId ?? '?'}); waiting for notifications, Ctrl-C to stop`);
    for (;;) {
      const event = await nextEvent(m, ctx.signal);
      if (event === 'interrupted' || event === 'ended') break;
      if (event.droppedBefore > 0) ctx.log.warn(`${event.droppedBefore} notifications were dropped (the buffer was full)`);
      if (schema) printJsonNotification(ctx, event, schema);
      else ctx.out.notification(event);
      if (event.element?.local === 'notificationComplete' && event.element.namespace === NETMOD_NOTIFICATION_NS) break;
    }
    ctx.log.info('subscription ended');
  },
};
