import { describe, expect, it } from 'vitest';
import { REDACTED_HOST, redactResult, redactUris } from '../../src/report/redact.js';
import { renderHtml, renderJson, renderMarkdown } from '../../src/report/render.js';
import { fixture } from '../helpers/report-fixtures.js';

describe('redactUris', () => {
  it.each([
    ['mongodb://alice:s3cret@db.internal:27017/imdiag', 'mongodb://***@<host>:27017/imdiag'],
    ['mongodb+srv://alice:s3cret@cluster0.example.net/?retryWrites=true', 'mongodb+srv://***@<host>/?retryWrites=true'],
    [
      'mongodb://a:b@h1.internal:27017,h2.internal:27018,[::1]:27019/db?replicaSet=rs0',
      'mongodb://***@<host>:27017,<host>:27018,<host>:27019/db?replicaSet=rs0',
    ],
    ['mongodb://db.internal', 'mongodb://<host>'],
    ['--uri=mongodb://***@db.internal:27017', '--uri=mongodb://***@<host>:27017'],
    ['cannot reach https://deploy:tok3n@git.example.com/repo.git today', 'cannot reach https://***@git.example.com/repo.git today'],
    ['amqp://guest:guest@rabbit:5672/ and mongodb://u:p@m:1/x', 'amqp://***@rabbit:5672/ and mongodb://***@<host>:1/x'],
    ['no uri here: user@example.com, naive-mongoose', 'no uri here: user@example.com, naive-mongoose'],
  ])('%s', (input, expected) => {
    expect(redactUris(input)).toBe(expected);
  });
});

describe('redactResult', () => {
  function leaky() {
    const result = fixture('compare-unread-oom');
    result.argv = [
      'imdiag',
      'compare-unread',
      '--uri',
      'mongodb://reporter:hunter2@db-prod-7.corp.example:27017/?authSource=admin',
      '--db',
      'imdiag_lab',
      '--label',
      'build-host-42',
    ];
    result.environment = {
      ...result.environment,
      hostname: 'build-host-42',
      mongo: { ...result.environment.mongo!, uri: 'mongodb://reporter:hunter2@db-prod-7.corp.example:27017/?authSource=admin' },
    };
    result.strategies[0]!.notes = ['server error from mongodb://reporter:hunter2@db-prod-7.corp.example:27017'];
    return result;
  }

  it('removes credentials everywhere, MongoDB hosts and the machine hostname', () => {
    const redacted = redactResult(leaky());
    const text = JSON.stringify(redacted);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('reporter:');
    expect(text).not.toContain('db-prod-7');
    expect(text).not.toContain('build-host-42');
    expect(redacted.environment.hostname).toBe(REDACTED_HOST);
    expect(redacted.environment.mongo!.uri).toBe('mongodb://***@<host>:27017/?authSource=admin');
    expect(redacted.argv).toEqual([
      'imdiag',
      'compare-unread',
      '--uri',
      'mongodb://***@<host>:27017/?authSource=admin',
      '--db',
      'imdiag_lab',
      '--label',
      REDACTED_HOST,
    ]);
    expect(redacted.strategies[0]!.notes).toEqual(['server error from mongodb://***@<host>:27017']);
  });

  it('keeps everything else, and leaves its input alone', () => {
    const input = leaky();
    const before = structuredClone(input);
    const redacted = redactResult(input);
    expect(input).toEqual(before);
    expect(redacted.strategies).toHaveLength(input.strategies.length);
    expect(redacted.environment.mongo!.database).toBe('imdiag_lab');
    expect(redacted.environment.node).toBe(input.environment.node);
    expect({ ...redacted, argv: input.argv, environment: input.environment, strategies: input.strategies }).toEqual(input);
  });

  it('replaces the hostname only as a whole word', () => {
    const result = fixture('flood');
    result.environment.hostname = 'web-1';
    result.argv = ['imdiag', 'flood', '--label', 'web-10', 'web-1', 'my-web-1', 'web-1.local'];
    expect(redactResult(result).argv).toEqual(['imdiag', 'flood', '--label', 'web-10', REDACTED_HOST, 'my-web-1', `${REDACTED_HOST}.local`]);
  });

  it('is applied before every format unless --no-redact', () => {
    for (const render of [renderMarkdown, renderHtml, renderJson]) {
      const redacted = render(leaky(), { redact: true });
      expect(redacted).not.toMatch(/hunter2|db-prod-7|build-host-42/);
      const kept = render(leaky(), { redact: false });
      expect(kept).toContain('db-prod-7.corp.example');
      expect(kept).toContain('build-host-42');
      // --no-redact keeps hostnames only: the README says credentials are never written.
      expect(kept).not.toContain('hunter2');
    }
    expect(renderMarkdown(leaky(), { redact: true })).toContain(
      'Credentials and hostnames are redacted; `--no-redact` keeps the hostnames (credentials are never written).',
    );
    expect(renderMarkdown(leaky(), { redact: false })).not.toContain('are redacted');
  });
});
