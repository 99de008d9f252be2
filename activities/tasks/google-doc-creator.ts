import { Context } from '@temporalio/activity';
import { FailureType } from '../../schemas/failure-types.js';
import { googleDocCreatorConfigSchema } from '../../schemas/tasks/google-doc-creator.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { googleDocUrl } from '../google/drive-client.js';
import { keepHeartbeating } from '../heartbeat.js';
import type { PublishActivityFactory } from './task-activity.js';

/** Another run's claim older than this is over: the task's schedule-to-close (all its attempts) is 30 minutes. */
const STALE_CLAIM_MS = 30 * 60 * 1000;

/**
 * Turns a medium's new docs into Google Docs, one at a time: claim the doc for this run (so an
 * overlapping run leaves it alone), look it up in Drive by its tag (a retry may have made it already),
 * create it (or copy the template and fill it), then store the link and move the doc to `edit`. A cancel stops between docs and aborts the call in flight, which is safe
 * because the lookup finds whatever that call managed to create.
 */
export const createGoogleDocCreatorActivity: PublishActivityFactory = (deps) =>
  async function googleDocCreator(rawConfig, run) {
    const parsed = googleDocCreatorConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const { docs, google } = deps;
    if (!docs) throw permanentFailure(FailureType.Configuration, 'this worker was started without a database for docs');
    if (!(await docs.findMedia(config.media_id)))
      throw validationFailure(`config.media_id: no medium ${config.media_id}`);
    const context = Context.current();
    const claim = { runId: run.runId, staleBefore: new Date(Date.now() - STALE_CLAIM_MS).toISOString() };
    // batch_size is per run: an attempt after a retry makes only what the earlier ones left of it.
    const madeBefore = run.dryRun ? 0 : await docs.countGoogleDocsMade(run.runId);
    const left = Math.max(0, config.batch_size - madeBefore);
    const due = left > 0 ? await docs.findDocsForGoogle({ mediaId: config.media_id, limit: left, ...claim }) : [];
    const warnings: string[] = [];

    if (run.dryRun) {
      if (!google?.configured) warnings.push('no Google service account on the worker, so a real run would fail');
      const preview = due.map((doc) => ({ docId: doc.id, url: null, text: doc.title }));
      return {
        candidates: due.length,
        published: 0,
        refused: 0,
        unknown: 0,
        attempt: context.info.attempt,
        preview,
        ...(warnings.length ? { warnings } : {}),
      };
    }
    if (!google?.configured) {
      throw permanentFailure(
        FailureType.Configuration,
        "no Google service account: set GOOGLE_APPLICATION_CREDENTIALS (a key file) or GOOGLE_SERVICE_ACCOUNT_JSON in the worker's environment and restart it",
      );
    }

    const signal = context.cancellationSignal;
    let created = 0;
    let skipped = 0;
    const stopHeartbeating = keepHeartbeating(() => ({ created, of: due.length }));
    try {
      for (const doc of due) {
        if (signal.aborted) throw signal.reason;
        if (!(await docs.claimGoogleDoc(doc.id, claim))) {
          skipped += 1;
          continue;
        }
        const existing = await google.findByDocId(doc.id, config.folder_id, signal);
        let fileId = existing?.id;
        if (!fileId) {
          fileId = config.template_id
            ? await google.copyTemplate(
                { docId: doc.id, title: doc.title, templateId: config.template_id, folderId: config.folder_id },
                signal,
              )
            : await google.createWithText(
                { docId: doc.id, title: doc.title, text: doc.text, folderId: config.folder_id },
                signal,
              );
        }
        if (config.template_id && !existing?.filled) await google.fill(fileId, doc.text, signal);
        await docs.setGoogleDoc(doc.id, googleDocUrl(fileId));
        created += 1;
      }
    } finally {
      stopHeartbeating();
    }
    if (skipped > 0)
      warnings.push(`${skipped} doc(s) were being made into Google Docs by another run and were left to it`);
    context.log.info('google docs created', { mediaId: config.media_id, created, skipped });
    // Docs a previous attempt finished are no longer due: "published" counts this attempt's, the rest are in the docs' status.
    return {
      candidates: due.length,
      published: created,
      refused: 0,
      unknown: 0,
      attempt: context.info.attempt,
      ...(warnings.length ? { warnings } : {}),
    };
  };
