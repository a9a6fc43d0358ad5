import {
  cidrError, credentialArgIndex, cronError, cronSchedule, detectCredential, editDistance, isDns1035Label, isDns1123Label,
  isDns1123Subdomain, isEnvVarName, isHost, isHttpPath, isLabelName, isLabelValue, isMetricName, isPinned,
  isQualifiedName, isTimeZone, nearest, parseGoDuration, parseHttpUrl, parseImageReference, parseLabelMatcher,
  parseLabelMatchers, parsePromDuration, parseQuantity, redisBytes,
} from '../../lib/shared/grammar';

const r = (c: string, n: number) => c.repeat(n);

// Examples from k8s.io/apimachinery/pkg/util/validation/validation_test.go.
describe('DNS-1123 label (IsDNS1123Label)', () => {
  test.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)])('accepts %j', (v) => expect(isDns1123Label(v)).toBe(true));
  test.each(['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)])('refuses %j', (v) => expect(isDns1123Label(v)).toBe(false));
});

describe('DNS-1123 subdomain (IsDNS1123Subdomain)', () => {
  test.each(['a', 'a--1--2--b', '0', '1--a--b--2', 'a.a', 'a--1--2--b.a', 'a.1', '0.a', '012.a', '1-a.a', '0.1', '1--a--b--2.1',
    'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', r('a', 253)])('accepts %j', (v) => expect(isDns1123Subdomain(v)).toBe(true));
  test.each(['', 'A', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a b',
    'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', '0.A', 'A.B.C.D.E', 'a.B.c.d.e', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', r('a', 254)])('refuses %j', (v) => expect(isDns1123Subdomain(v)).toBe(false));
});

describe('DNS-1035 label (IsDNS1035Label, Service names)', () => {
  test.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', r('a', 63)])('accepts %j', (v) => expect(isDns1035Label(v)).toBe(true));
  test.each(['0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.b', ' ', 'a b', r('a', 64), '1api'])('refuses %j', (v) => expect(isDns1035Label(v)).toBe(false));
});

describe('label keys (IsQualifiedName) and values (IsValidLabelValue)', () => {
  test.each(['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now.with.dots/simple',
    'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo', r('a', 63), `${r('a', 253)}/${r('b', 63)}`])('key %j is valid', (v) => expect(isQualifiedName(v)).toBe(true));
  test.each(['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc',
    'example.com/', '/simple', r('a', 64), `${r('a', 254)}/abc`])('key %j is invalid', (v) => expect(isQualifiedName(v)).toBe(false));
  test.each(['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), ''])('value %j is valid', (v) => expect(isLabelValue(v)).toBe(true));
  test.each(['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-',
    '.starts.with.dot', 'ends.with.dot.', r('a', 64), 'API Server'])('value %j is invalid', (v) => expect(isLabelValue(v)).toBe(false));
});

describe('environment variable names (IsEnvVarName)', () => {
  test.each(['A', 'ABC', 'AbC123', '_123', 'a.b', 'a-b', '.dot', '-dash'])('accepts %j', (v) => expect(isEnvVarName(v)).toBe(true));
  test.each(['', '1', '123', '1ABC', 'A B', 'A=B', 'A:B', 'A$B'])('refuses %j', (v) => expect(isEnvVarName(v)).toBe(false));
});

// Examples from apimachinery/pkg/api/resource/quantity_test.go.
describe('resource quantities (ParseQuantity)', () => {
  test.each([['0', 0], ['1', 1], ['1.5', 1.5], ['.5', 0.5], ['5.', 5], ['+1', 1], ['-1', -1], ['100m', 0.1], ['1Ki', 1024],
    ['1.5Gi', 1.5 * 2 ** 30], ['1e3', 1000], ['1E3', 1000], ['1e-3', 0.001], ['12e6', 12e6], ['1n', 1e-9], ['1u', 1e-6], ['7Ei', 7 * 2 ** 60], ['1.G', 1e9]])('%j = %d', (v, n) => {
    const got = parseQuantity(v)!;
    expect(n === 0 ? got : got / (n)).toBeCloseTo(n === 0 ? 0 : 1, 9);
  });
  test.each(['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', '1 Gi', '2 Gi', '1e21Gi', '1KiB', '1K', '1ki',
    '1e', '1e+', '1e1.5', '1e3k', '1E3Ki', '1..5', '1,5', '1_000', '0x10', 'Inf', 'NaN', 'Gi', ''])('refuses %j', (v) => expect(parseQuantity(v)).toBeUndefined());
  test('Redis byte sizes are whole positive byte counts', () => {
    expect(redisBytes('1536Mi')).toBe(1536 * 2 ** 20);
    expect(redisBytes('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(redisBytes('1.3Gi')).toBeUndefined(); // 1395864371.2 bytes: redis-server refuses a fraction
    expect(redisBytes('0')).toBeUndefined(); // 0 means unlimited
    expect(redisBytes('500m')).toBeUndefined(); // half a byte
  });
});

// robfig/cron v3 parser_test.go (the parser behind CronJob schedules), standard 5-field spec.
describe('cron schedules (robfig/cron ParseStandard)', () => {
  test.each(['5 * * * *', '0 5 * * *', '*/15 * * * *', '5-7/2 * * * *', '1,5-7/2,3 * * * *', '0 0 1 jan *', '0 0 * * mon-fri', '0 0 * * SUN',
    '0 0 ? * *', '30 2 * * 0', '0 6 * * 6', '5/15 * * * *', '@daily', '@midnight', '@hourly', '@weekly', '@monthly', '@yearly', '@annually', '@every 5m', '@every 1h30m'])(
    'accepts %j', (v) => expect(cronError(v)).toBeUndefined());
  test.each([
    ['61 * * * *', /minute 61 is outside 0-59/], ['0 6 * * 7', /day of week 7 is outside 0-6/], ['0 24 * * *', /hour 24/], ['0 0 0 * *', /day of month 0/],
    ['0 0 * 13 *', /month 13/], ['*/0 * * * *', /step '0'/], ['5-3 * * * *', /backwards/], ['0 0 * * funday', /not a number or a name/],
    ['* * * *', /has 4 fields/], ['0 * * * * *', /has 6 fields/], ['TZ=UTC 0 5 * * *', /TZ=/], ['@every 0s', /positive Go duration/], ['@fortnightly', /unknown descriptor/],
    ['0 0 L * *', /not a number/], ['1-2-3 * * * *', /not a value or a range/], ['1/2/3 * * * *', /more than one/],
  ])('refuses %j', (v, why) => expect(cronError(v)).toMatch(why));
  test('expands steps and names as robfig does', () => {
    expect(cronSchedule('5-7/2 0 * jan-mar mon,wed')).toEqual([[5, 7], [0], Array.from({ length: 31 }, (_, i) => i + 1), [1, 2, 3], [1, 3]]);
    expect(cronSchedule('@weekly')[4]).toEqual([0]);
  });
  test('CronJob timeZone: IANA names only', () => {
    for (const z of ['UTC', 'Etc/UTC', 'Europe/Berlin', 'Asia/Shanghai', 'America/Argentina/Buenos_Aires']) expect(isTimeZone(z)).toBe(true);
    for (const z of ['', 'Mars/Olympus', 'CET+1', 'utc ', 'Europe/Berlin\n', '+08:00']) expect(isTimeZone(z)).toBe(false);
  });
});

// prometheus/common model/time_test.go and Go's time.ParseDuration tests.
describe('durations', () => {
  test.each([['0', 0], ['0w', 0], ['0s', 0], ['324ms', 324], ['3s', 3000], ['5m', 300000], ['1h', 3600000], ['4d', 4 * 86400000], ['4d1h', 4 * 86400000 + 3600000],
    ['14d', 14 * 86400000], ['3w', 21 * 86400000], ['3w2d1h', 23 * 86400000 + 3600000], ['10y', 3650 * 86400000]])('Prometheus %j = %d ms', (v, ms) => expect(parsePromDuration(v)).toBe(ms));
  test.each(['1', '1y1m1d', '-1w', '1.5d', '12h30d', '30 s', '', '1h1h', 's', '5M'])('Prometheus refuses %j', (v) => expect(parsePromDuration(v)).toBeUndefined());
  test.each([['0', 0], ['5s', 5000], ['30s', 30000], ['1478s', 1478000], ['-5s', -5000], ['+5s', 5000], ['5.0s', 5000], ['5.6s', 5600], ['5.s', 5000], ['.5s', 500],
    ['1.004s', 1004], ['100ms', 100], ['10ns', 1e-5], ['11us', 0.011], ['12µs', 0.012], ['3h30m', 12600000], ['10.5s4m', 250500], ['-2m3.4s', -123400], ['1h2m3s4ms5us6ns', 3723004.005006]])(
    'Go %j = %d ms', (v, ms) => expect(parseGoDuration(v)).toBeCloseTo(ms, 6));
  test.each(['', '3', '-', 's', '.', '-.', '.s', '+.s', '1d', '3000000h ', '1 s', '1w'])('Go refuses %j', (v) => expect(parseGoDuration(v)).toBeUndefined());
});

// prometheus/common model/metric_test.go, labels_test.go; promql parser matchers.
describe('PromQL names and matchers', () => {
  test.each(['Avalid_23name', '_Avalid_23name', 'avalid_23name', 'a:b', 'http_requests_total', ':colon:'])('metric %j', (v) => expect(isMetricName(v)).toBe(true));
  test.each(['1valid_23name', 'Ava:lid}23name', 'a lid_23name', 'http-requests-total', '', 'a.b'])('not a metric %j', (v) => expect(isMetricName(v)).toBe(false));
  test.each(['ALabelName', '_ALabelName', 'alabelname', 'alertname', 'a_1'])('label %j', (v) => expect(isLabelName(v)).toBe(true));
  test.each(['1ALabelName', 'a lid_23name', 'a:b', 'alert name', '', '__name__'])('not a label %j', (v) => expect(isLabelName(v)).toBe(false));
  test('matchers', () => {
    expect(parseLabelMatcher('status=~"5.."')).toEqual({ name: 'status', op: '=~', value: '5..' });
    expect(parseLabelMatcher('code != "200"')).toEqual({ name: 'code', op: '!=', value: '200' });
    expect(parseLabelMatchers('code!="200",method="GET"')).toHaveLength(2);
    for (const bad of ['status=5..', 'status=~"5(.."', '1a="x"', 'a=="x"', 'a=~"(?=x)"', '', 'a="x",']) expect(parseLabelMatchers(bad)).toBeUndefined();
  });
});

describe('hosts, paths, URLs, CIDRs (IsWildcardDNS1123Subdomain, IsFullyQualifiedDomainName)', () => {
  test.each(['a.com', 'k8s.io', 'dev.k8s.io', 'api.media-ai.com', 'hyphens-are-good.k8s.io', `${r('a', 63)}.k8s.io`])('host %j', (v) => expect(isHost(v)).toBe(true));
  test.each(['.', '...', '.io', 'com', '.com', 'Dev.k8s.io', '.foo.example.com', '*.example.com', 'underscores_are_bad.k8s.io', 'foo@bar.example.com',
    'http://foo.example.com', `${r('a', 64)}.k8s.io`, '10.0.0.1', 'localhost'])('not a host %j', (v) => expect(isHost(v)).toBe(false));
  test.each(['*.example.com', '*.bar.com', '*.foo.bar.com'])('wildcard %j where allowed', (v) => {
    expect(isHost(v, { wildcard: true })).toBe(true);
    expect(isHost(v)).toBe(false);
  });
  test.each(['*.*.bar.com', '*.foo.*.com', '*bar.com', 'f*.bar.com', '*'])('bad wildcard %j', (v) => expect(isHost(v, { wildcard: true })).toBe(false));
  test('paths', () => {
    for (const p of ['/', '/health', '/api/v1/ready', '/a%20b', '/~user/x.y']) expect(isHttpPath(p)).toBe(true);
    for (const p of ['', 'health', '/a b', '/a?b=1', '/a#x', '/ä']) expect(isHttpPath(p)).toBe(false);
  });
  test('URLs', () => {
    expect(parseHttpUrl('https://s3.eu-central-1.amazonaws.com')).toMatchObject({ scheme: 'https', host: 's3.eu-central-1.amazonaws.com', path: '' });
    expect(parseHttpUrl('http://minio.backup.svc:9000/')).toMatchObject({ port: 9000, path: '/' });
    expect(parseHttpUrl('https://u:p@h.example.com/')!.hasCredentials).toBe(true);
    for (const u of ['s3.amazonaws.com', 'ftp://h.example.com', 'https://', 'https://H_B.com', 'https://h.example.com:70000', 'https://a b.com']) expect(parseHttpUrl(u)).toBeUndefined();
  });
  test.each(['10.0.0.0/8', '0.0.0.0/0', '192.168.1.0/24', '192.168.1.7/32', '::/0', '2001:db8::/32', 'fe80::1/128'])('CIDR %j', (v) => expect(cidrError(v)).toBeUndefined());
  test.each([['10.0.0.1/8', /host bits/], ['10.0.0.0/33', /above 32/], ['10.0.0/8', /prefix length/], ['256.0.0.0/8', /prefix length/], ['10.0.0.0', /prefix length/],
    ['2001:db8::/129', /above 128/], ['2001:db8:::/32', /prefix length/], ['01.0.0.0/8', /prefix length/]])('bad CIDR %j', (v, why) => expect(cidrError(v)).toMatch(why));
});

// distribution/reference reference_test.go.
describe('image references (distribution/reference)', () => {
  const digest = `sha256:${r('f', 64)}`;
  test.each([['test_com', 'test_com', undefined], ['test.com:tag', 'test.com', 'tag'], ['test.com:5000', 'test.com', '5000'], ['test.com/repo:tag', 'test.com/repo', 'tag'],
    ['test:5000/repo', 'test:5000/repo', undefined], ['test:5000/repo:tag', 'test:5000/repo', 'tag'], ['lowercase:Uppercase', 'lowercase', 'Uppercase'],
    ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com/bar/baz/quux', undefined], ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io/test.example.com/my-app', 'test.example.com'],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com/myimage', 'xn--n3h.com'], ['foo_bar.com:8080', 'foo_bar.com', '8080'], ['foo/foo_bar.com:8080', 'foo/foo_bar.com', '8080'],
    ['192.168.1.1', '192.168.1.1', undefined], ['192.168.1.1:5000/repo', '192.168.1.1:5000/repo', undefined], ['[2001:db8::1]:5000/repo', '[2001:db8::1]:5000/repo', undefined],
    ['registry.io/a__b/c---d:1.0', 'registry.io/a__b/c---d', '1.0'], ['Docker.io/library/postgres:14.15', 'Docker.io/library/postgres', '14.15']])('parses %j', (v, repo, tag) => {
    expect(parseImageReference(v)).toMatchObject({ repository: repo, tag });
  });
  test('digests', () => {
    expect(parseImageReference(`test:5000/repo@${digest}`)).toMatchObject({ repository: 'test:5000/repo', digest });
    expect(parseImageReference(`test:5000/repo:tag@${digest}`)).toMatchObject({ tag: 'tag', digest });
  });
  test.each(['', ':justtag', `@${digest}`, `repo@sha256:${r('f', 34)}`, `validname@invaliddigest:${r('f', 64)}`, 'Uppercase:tag', 'test:5000/Uppercase/lowercase:tag',
    'aa/asdf$$^/aa', '[fe80::1%eth0]:5000/repo', `${r('a', 256)}`, 'a/-b', 'a/b-', 'a/b_:1', 'a:-tag', `a:${r('t', 129)}`, 'Media AI:1', 'a//b'])('refuses %j', (v) => expect(parseImageReference(v)).toBeUndefined());
  test('pinned means a digest or a tag other than latest', () => {
    expect(isPinned(parseImageReference('postgres:14.15')!)).toBe(true);
    expect(isPinned(parseImageReference(`postgres@${digest}`)!)).toBe(true);
    expect(isPinned(parseImageReference('postgres')!)).toBe(false);
    expect(isPinned(parseImageReference('postgres:latest')!)).toBe(false);
  });
});

describe('credential detection by value', () => {
  test.each([
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'a JSON Web Token'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', 'a PEM private key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'a PEM private key'],
    ['postgresql://app:s3cr/t@db.example.com/media', 'a password in a URL'],
    ['host=db user=app password=hunter2 dbname=x', 'a password in a connection string'],
    ["host=db password='two words'", 'a password in a connection string'],
    ['--db-password=hunter2', 'a password flag'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'a GitHub token'],
    ['sk-proj-abcdefghijklmnopqrstuv', 'an API secret key'],
  ])('%j is %s', (v, kind) => expect(detectCredential(v)).toBe(kind));
  test('high entropy counts only in credential-like positions', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(detectCredential(secret, 'S3_SECRET')).toBe('a high-entropy secret');
    expect(detectCredential('Zq8#pLw2!xR7vB4m', 'DB_PASS')).toBe('a high-entropy secret');
    expect(detectCredential(secret, 'GREETING')).toBeUndefined();
  });
  test.each(['info', 'postgresql://$(DB_USER):$(DB_PASSWORD)@postgres.media-ai.svc:5432/media_ai', 'http://jaeger.monitoring.svc:4317', 'media-ai:cache:v1',
    '/var/lib/postgresql/data', 'password=$(DB_PASSWORD)', 'sha256:abc', '--password-file=/run/secrets/pw', 'api.media-ai.com'])('%j is no credential', (v) => {
    expect(detectCredential(v, 'CACHE_KEY_PREFIX')).toBeUndefined();
  });
  test('--password value pairs in args', () => {
    expect(credentialArgIndex(['serve', '--password', 'hunter2'])).toBe(2);
    expect(credentialArgIndex(['serve', '--password', '$(DB_PASSWORD)'])).toBeUndefined();
    expect(credentialArgIndex(['--db-password=x'])).toBe(0);
    expect(credentialArgIndex(['--port', '8000'])).toBeUndefined();
  });
});

describe('typo suggestions', () => {
  test('edit distance', () => {
    expect(editDistance('replica', 'replicas')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  test('names the nearest prop', () => {
    expect(nearest('replica', ['image', 'replicas', 'resources'])).toBe('replicas');
    expect(nearest('expectedSize', ['expectedDataSize', 'headroomPercent', 'size'])).toBe('expectedDataSize');
    expect(nearest('zzzzzz', ['image', 'replicas'])).toBeUndefined();
  });
});
