// Checks of what the collab store accepts, and the hearing read from a transcript's name.
import { randomUUID } from 'node:crypto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DocPersistence, PersistedOrigin } from '../../hub/collab/persistence.ts';
import type { CollabStore } from '../../storage/collab/collab-store.ts';
import { transcriptHearingId } from '../../storage/collab/hearing-of-document.ts';
import { checkUpdate, InvalidCollabUpdateError, type PersistedUpdateOrigin } from '../../storage/collab/update-origin.ts';

const bytes = new Uint8Array([0, 0]);

describe('collab storage: document names and origins', () => {
  it('reads the hearing id from transcript names only', () => {
    const [caseId, hearingId] = [randomUUID(), randomUUID()];
    expect(transcriptHearingId(`cases/${caseId}/hearings/${hearingId}/transcript`)).toBe(hearingId);
    expect(transcriptHearingId(`cases/${caseId}/hearings/${hearingId.toUpperCase()}/transcript`)).toBe(hearingId);
    expect(transcriptHearingId(`cases/${caseId}/hearings/${hearingId}/judge-notes`)).toBeNull();
    expect(transcriptHearingId(`cases/${caseId}/evidence/${hearingId}/annotations`)).toBeNull();
    expect(transcriptHearingId(`cases/${caseId}/hearings/not-a-uuid/transcript`)).toBeNull();
    expect(transcriptHearingId(`x/cases/${caseId}/hearings/${hearingId}/transcript`)).toBeNull();
  });

  it('is what the rooms expect (hub/collab/persistence.ts), origins included', () => {
    // Checked by tsc (npm run typecheck): a drift between the two contracts fails the typecheck.
    expectTypeOf<CollabStore>().toExtend<DocPersistence>();
    expectTypeOf<PersistedOrigin>().toEqualTypeOf<PersistedUpdateOrigin>();
  });

  it('accepts the three typed origins', () => {
    const origins: PersistedUpdateOrigin[] = [
      { source: 'session', sessionId: 's1', userId: randomUUID(), segmentIds: ['a', 'b'] },
      { source: 'asr', engine: 'pocketsphinx' },
      { source: 'system', reason: 'version restore' },
    ];
    for (const origin of origins) expect(() => checkUpdate('doc', bytes, origin)).not.toThrow();
  });

  it('refuses what could not be stored or would fail a whole batch', () => {
    const refused: Array<[string, Uint8Array, unknown]> = [
      ['', bytes, { source: 'system', reason: 'x' }],
      ['doc', new Uint8Array(), { source: 'system', reason: 'x' }],
      ['doc', bytes, { source: 'session', sessionId: 's', userId: 'not-a-uuid' }],
      ['doc', bytes, { source: 'asr', engine: '' }],
      ['doc', bytes, { source: 'robot' }],
      ['doc', bytes, null],
      ['doc', bytes, { source: 'system', reason: 'x', segmentIds: [1] }],
    ];
    for (const [name, update, origin] of refused) {
      expect(() => checkUpdate(name, update, origin as PersistedUpdateOrigin)).toThrow(InvalidCollabUpdateError);
    }
  });
});
