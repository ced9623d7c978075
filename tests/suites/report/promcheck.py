#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A strict reader of the Prometheus text exposition format 0.0.4, for
# report.test (promtool is not in Debian bookworm's CI image): every line
# by the grammar, HELP and TYPE once per family and before its samples,
# each family in one group, summaries' quantile/_sum/_count, no duplicate
# series, counters not negative. With --sum NAME [LABEL=VALUE...], also
# prints the sum of NAME's samples that carry those label values.
import math
import re
import sys

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
# a label value: any character but backslash, quote and newline, or the
# three escapes the format defines
VALUE = r'"(?:[^"\\\n]|\\[\\"n])*"'
FLOAT = r'[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf|inf)|NaN'
SAMPLE = re.compile(r'^(%s)(?:\{((?:%s=%s)(?:,%s=%s)*,?)?\})? (%s)(?: (-?[0-9]+))?$'
                    % (NAME, LABEL, VALUE, LABEL, VALUE, FLOAT))
PAIR = re.compile(r'(%s)=(%s)' % (LABEL, VALUE))
HELP = re.compile(r'^# HELP (%s) (.*)$' % NAME)
TYPE = re.compile(r'^# TYPE (%s) (counter|gauge|histogram|summary|untyped)$' % NAME)


def unescape(v):
    return re.sub(r'\\(.)', lambda m: {'n': '\n'}.get(m.group(1), m.group(1)),
                  v[1:-1])


def family_of(name, types):
    """The family a sample belongs to (summary/histogram suffixes)."""
    for suffix in ('_sum', '_count', '_bucket'):
        base = name[:-len(suffix)]
        if name.endswith(suffix) and types.get(base) in ('summary',
                                                         'histogram'):
            return base
    return name


def check(text):
    errors, samples = [], []
    helps, types, done, seen = {}, {}, set(), set()
    current = None
    if text and not text.endswith('\n'):
        errors.append('no newline at the end')
    for n, line in enumerate(text.split('\n')[:-1], 1):
        def bad(why):
            errors.append('%d: %s: %r' % (n, why, line[:120]))
        if line.startswith('#'):
            m = HELP.match(line) or TYPE.match(line)
            if not m:
                if line.startswith('# HELP') or line.startswith('# TYPE'):
                    bad('malformed HELP/TYPE')
                continue
            fam = m.group(1)
            table = helps if line.startswith('# HELP') else types
            if fam in table:
                bad('second %s' % line.split()[1])
            if fam in done or fam == current:
                bad('%s after the samples of %s' % (line.split()[1], fam))
            if line.startswith('# HELP') and re.search(r'\\[^\\n]', m.group(2)):
                bad('bad escape in HELP')
            table[fam] = m.group(2)
            continue
        m = SAMPLE.match(line)
        if not m:
            bad('not a sample line')
            continue
        name, labels, value = m.group(1), m.group(2) or '', m.group(3)
        fam = family_of(name, types)
        if fam != current:
            if fam in done:
                bad('family %s split in two groups' % fam)
            if current:
                done.add(current)
            current = fam
        if fam not in types or fam not in helps:
            bad('no TYPE and HELP before the samples of %s' % fam)
        pairs = PAIR.findall(labels)
        names = [k for k, _ in pairs]
        if len(set(names)) != len(names):
            bad('a label twice')
        if any(k.startswith('__') for k in names):
            bad('reserved label name')
        lab = {k: unescape(v) for k, v in pairs}
        key = (name, tuple(sorted(lab.items())))
        if key in seen:
            bad('duplicate series')
        seen.add(key)
        v = float(value.replace('Inf', 'inf'))
        kind = types.get(fam)
        if kind == 'counter':
            if not name.endswith('_total'):
                bad('counter without _total')
            if v < 0 or math.isnan(v):
                bad('counter not >= 0')
        if kind == 'summary':
            if name == fam:
                q = lab.get('quantile')
                if q is None or not 0 <= float(q) <= 1:
                    bad('summary sample without a quantile in [0, 1]')
            elif 'quantile' in lab:
                bad('quantile label on _sum/_count')
        elif 'quantile' in lab:
            bad('quantile label outside a summary')
        samples.append((name, lab, v))
    return errors, samples


def main():
    path = sys.argv[1]
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        print('%s: not UTF-8: %s' % (path, e))
        return 1
    errors, samples = check(text)
    for e in errors:
        print('%s:%s' % (path, e))
    if errors:
        return 1
    if len(sys.argv) > 3 and sys.argv[2] == '--sum':
        want = dict(a.split('=', 1) for a in sys.argv[4:])
        total = sum(v for name, lab, v in samples if name == sys.argv[3]
                    and all(lab.get(k) == w for k, w in want.items()))
        print('%.10g' % total)
    return 0


if __name__ == '__main__':
    sys.exit(main())
