#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The project's shell scripts: shellcheck clean, and no function, trap handler or script that
# ends on a test joined by `&&` (`[ -n "$x" ] && rm …`): under `set -e` its false test becomes
# the function's status, and an EXIT trap ending so fails a script that succeeded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/tests/lib.sh
. "$here/lib.sh"

mapfile -t files < <(cd "$repo" && { find scripts -name '*.sh'; echo .ci/run; } | sort)
if command -v shellcheck >/dev/null; then
  if ! (cd "$repo" && shellcheck -x "${files[@]}"); then fail "shellcheck"; fi
elif [ "${CI:-}" = true ]; then
  fail "shellcheck is not installed (scripts/deps.sh test installs it), and CI requires it"
else
  echo "lint_test.sh: shellcheck is not installed; skipped (scripts/deps.sh test installs it)" >&2
fi

# The last command of every function body and of every script.
if ! (cd "$repo" && /usr/bin/python3 - "${files[@]}" <<'PY'
import re, sys

TEST_AND = re.compile(r'^\s*(\[\[?\s|test\s)[^|]*&&[^|]*$')

def last_command(lines):
    for line in reversed(lines):
        s = line.split(' #')[0].strip()
        if s and not s.startswith('#'):
            return s.rstrip(';').strip()
    return ''

bad = []
for path in sys.argv[1:]:
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        m = re.match(r'^(\s*)([A-Za-z_][\w-]*)\s*\(\)\s*\{(.*)$', lines[i])
        if m:
            indent, name, rest = m.groups()
            if rest.rstrip().endswith('}'):  # one line: name() { a; b; }
                body = rest.rstrip()[:-1]
                last = last_command([body.split(';')[-2] if body.rstrip().endswith(';') else body.split(';')[-1]])
                end = i
            else:
                end = i + 1
                while end < len(lines) and not re.match('^' + indent + r'\}\s*$', lines[end]):
                    end += 1
                last = last_command(lines[i + 1:end])
            if TEST_AND.match(last):
                bad.append(f'{path}:{i + 1}: function {name} ends on "{last}"')
            i = end + 1
            continue
        i += 1
    last = last_command(lines)
    if TEST_AND.match(last):
        bad.append(f'{path}: the script ends on "{last}"')
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
); then fail "a function or script ends on a test joined by &&"; fi

finish
