import {
  CreateKeyCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Tag,
} from '@aws-sdk/client-kms';
import type { KeyState } from '../../src/model/generated/enums.js';
import { errorOf, rawRequest, useKmslite, expectError, expectKeyLookupFailures as expectKeyLookupFailures_, setKeyState, createKey, kms, running } from '../helpers/fixture.js';

useKmslite();


const tagsOf = (entries: [string, string][]): Tag[] => entries.map(([TagKey, TagValue]) => ({ TagKey, TagValue }));

async function listTags(keyId: string): Promise<Tag[]> {
  const all: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker }));
    all.push(...page.Tags!);
    marker = page.NextMarker;
  } while (marker);
  return all;
}

/** Puts a key in a state directly (ScheduleKeyDeletion/DisableKey are other helpers' work and may be placeholders). */
const setState = (keyId: string, state: KeyState) => setKeyState(running, keyId, state);
const expectKeyLookupFailures = (send: (keyId: string) => Promise<unknown>) => expectKeyLookupFailures_(running, send, 'us-west-2');

describe('TagResource', () => {
  describe('validation', () => {
    test('key lookup failures', async () => {
      await expectKeyLookupFailures((KeyId) => kms.send(new TagResourceCommand({ KeyId, Tags: tagsOf([['a', 'b']]) })));
    });

    test('reserved aws: prefix in any case answers TagException and tags nothing', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['keep', 'me']]) });
      for (const reserved of ['aws:key1', 'AWS:key1', 'Aws:x']) {
        const error = await errorOf(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['ok', '1'], [reserved, 'v']]) })));
        expectError(error, 'TagException', 'Tags beginning with aws: are reserved');
      }
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['keep', 'me']]));
    });

    test('duplicate keys in one request answer TagException', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['dup', '1'], ['dup', '2']]) })));
      expectError(error, 'TagException', 'Duplicate tag keys');
      expect(await listTags(key.KeyId!)).toEqual([]);
    });

    test('more than 50 tags in total answers TagException; replaced keys do not count twice', async () => {
      const existing = Array.from({ length: 30 }, (_, i): [string, string] => [`k${String(i).padStart(2, '0')}`, 'old']);
      const key = await createKey(kms, { Tags: tagsOf(existing) });
      const before = await listTags(key.KeyId!);
      const tooMany = Array.from({ length: 21 }, (_, i): [string, string] => [`n${i}`, 'new']);
      const error = await errorOf(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf(tooMany) })));
      expectError(error, 'TagException', 'Too many tags');
      expect(await listTags(key.KeyId!)).toEqual(before);

      // 20 new + 10 replacements of existing keys = exactly 50 tags: accepted.
      const fits = [...tooMany.slice(0, 20), ...existing.slice(0, 10).map(([k]): [string, string] => [k, 'replaced'])];
      await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf(fits) }));
      const after = await listTags(key.KeyId!);
      expect(after).toHaveLength(50);
      expect(after.find((tag) => tag.TagKey === 'k00')!.TagValue).toBe('replaced');
    });

    test('the model limits answer the Coral validation texts', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['a'.repeat(129), 'v']]) })));
      expectError(
        error,
        'ValidationException',
        `1 validation error detected: Value '${'a'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
      );
      expect(await listTags(key.KeyId!)).toEqual([]);
    });

    test('a key pending deletion is refused with KMSInvalidStateException', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['a', '1']]) });
      setState(key.KeyId!, 'PendingDeletion');
      const error = await errorOf(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['b', '2']]) })));
      expectError(error, 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['a', '1']]));
    });
  });

  describe('functionality', () => {
    test('adds tags and replaces the values of existing keys (recorded)', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['tag1', 'value1'], ['tag2', 'value2'], ['tag3', 'value3']]) });
      const response = await kms.send(
        new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['tag4', 'value4'], ['tag2', 'updated_value2'], ['tag5', 'value5']]) }),
      );
      expect(response.$metadata.httpStatusCode).toBe(200);
      expect(await listTags(key.KeyId!)).toEqual(
        tagsOf([['tag1', 'value1'], ['tag2', 'updated_value2'], ['tag3', 'value3'], ['tag4', 'value4'], ['tag5', 'value5']]),
      );
    });

    test('takes a key ARN; empty values are kept; disabled and pending-import keys take tags', async () => {
      const key = await createKey(kms);
      await kms.send(new TagResourceCommand({ KeyId: key.Arn, Tags: tagsOf([['empty', '']]) }));
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['empty', '']]));
      setState(key.KeyId!, 'Disabled');
      await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['while', 'disabled']]) }));
      const external = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
      await kms.send(new TagResourceCommand({ KeyId: external.KeyId, Tags: tagsOf([['pending', 'import']]) }));
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['empty', ''], ['while', 'disabled']]));
      expect(await listTags(external.KeyId!)).toEqual(tagsOf([['pending', 'import']]));
    });
  });
});

describe('TagResource and UntagResource on a key scheduled through ScheduleKeyDeletion', () => {
  test('validation: both are refused with KMSInvalidStateException; ListResourceTags still answers', async () => {
    const key = await createKey(kms, { Tags: tagsOf([['a', '1']]) });
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expectError(
      await errorOf(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['b', '2']]) }))),
      'KMSInvalidStateException',
      `${key.Arn} is pending deletion.`,
    );
    expectError(
      await errorOf(() => kms.send(new UntagResourceCommand({ KeyId: key.Arn, TagKeys: ['a'] }))),
      'KMSInvalidStateException',
      `${key.Arn} is pending deletion.`,
    );
    expect(await listTags(key.KeyId!)).toEqual(tagsOf([['a', '1']]));
  });
});

describe('UntagResource', () => {
  describe('validation', () => {
    test('key lookup failures', async () => {
      await expectKeyLookupFailures((KeyId) => kms.send(new UntagResourceCommand({ KeyId, TagKeys: ['a'] })));
    });

    test('a reserved aws: key answers TagException and removes nothing', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['a', '1'], ['b', '2']]) });
      const error = await errorOf(() => kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['a', 'AWS:b'] })));
      expectError(error, 'TagException', 'Tags beginning with aws: are reserved');
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['a', '1'], ['b', '2']]));
    });

    test('a key pending deletion is refused with KMSInvalidStateException', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['a', '1']]) });
      setState(key.KeyId!, 'PendingDeletion');
      const error = await errorOf(() => kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['a'] })));
      expectError(error, 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['a', '1']]));
    });
  });

  describe('functionality', () => {
    test('removes the named keys only (recorded partial untag)', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['tag1', 'value1'], ['tag2', 'value2'], ['tag3', 'value3']]) });
      const response = await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['tag2'] }));
      expect(response.$metadata.httpStatusCode).toBe(200);
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['tag1', 'value1'], ['tag3', 'value3']]));
    });

    test('keys the key does not carry are ignored; removing all leaves an empty list', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['tag1', 'value1'], ['tag2', 'value2']]) });
      await kms.send(new UntagResourceCommand({ KeyId: key.Arn, TagKeys: ['tag1', 'nope', 'TAG2'] }));
      expect(await listTags(key.KeyId!)).toEqual(tagsOf([['tag2', 'value2']]));
      await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['tag2', 'tag2'] }));
      expect(await listTags(key.KeyId!)).toEqual([]);
      await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: [] }));
    });

    test('works on a disabled key', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['a', '1']]) });
      setState(key.KeyId!, 'Disabled');
      await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['a'] }));
      expect(await listTags(key.KeyId!)).toEqual([]);
    });
  });
});

describe('ListResourceTags', () => {
  describe('validation', () => {
    test('key lookup failures', async () => {
      await expectKeyLookupFailures((KeyId) => kms.send(new ListResourceTagsCommand({ KeyId })));
    });

    test('a marker that is not ours answers InvalidMarkerException', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['a', '1']]) });
      expectError(
        await errorOf(() => kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Marker: 'not-a-marker' }))),
        'InvalidMarkerException',
        'Invalid marker',
      );
    });

    test('Limit above 50 is a validation error', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 51 })));
      expectError(
        error,
        'ValidationException',
        "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
      );
    });
  });

  describe('functionality', () => {
    test('lists tags sorted by TagKey; not truncated, no NextMarker', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['zeta', '1'], ['Alpha', '2'], ['beta', '3'], ['alpha', '4']]) });
      const response = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }));
      expect(response.Tags).toEqual(tagsOf([['Alpha', '2'], ['alpha', '4'], ['beta', '3'], ['zeta', '1']]));
      expect(response.Truncated).toBe(false);
      expect(response.NextMarker).toBeUndefined();
    });

    test('an untagged key lists an empty array', async () => {
      const key = await createKey(kms);
      const raw = await rawRequest(running, 'ListResourceTags', { KeyId: key.KeyId });
      expect(raw.status).toBe(200);
      expect(raw.json).toEqual({ Tags: [], Truncated: false });
    });

    test('pages with Limit and Marker, and a page survives the removal of the tag its marker names', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['a', '1'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5']]) });
      const first = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 2 }));
      expect(first.Tags!.map((tag) => tag.TagKey)).toEqual(['a', 'b']);
      expect(first.Truncated).toBe(true);
      expect(typeof first.NextMarker).toBe('string');
      const second = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 2, Marker: first.NextMarker }));
      expect(second.Tags!.map((tag) => tag.TagKey)).toEqual(['c', 'd']);
      expect(second.Truncated).toBe(true);
      await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['e'] }));
      await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tagsOf([['f', '6']]) }));
      const third = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 2, Marker: second.NextMarker }));
      expect(third.Tags!.map((tag) => tag.TagKey)).toEqual(['f']);
      expect(third.Truncated).toBe(false);
      expect(third.NextMarker).toBeUndefined();
    });

    test('the default page holds all 50 tags a key can carry', async () => {
      const key = await createKey(kms, { Tags: tagsOf(Array.from({ length: 50 }, (_, i): [string, string] => [`t${String(i).padStart(2, '0')}`, `${i}`])) });
      const response = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }));
      expect(response.Tags).toHaveLength(50);
      expect(response.Truncated).toBe(false);
    });

    test('works in every key state, pending deletion included', async () => {
      const key = await createKey(kms, { Tags: tagsOf([['state', 'any']]) });
      for (const state of ['Disabled', 'PendingDeletion', 'PendingImport'] as const) {
        setState(key.KeyId!, state);
        expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn }))).Tags).toEqual(tagsOf([['state', 'any']]));
      }
    });
  });
});
