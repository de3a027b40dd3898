#!/usr/bin/env bash
# What -o does with what its name points to: a symbolic link (chain) has
# its final target replaced and stays a link; a FIFO and a character device
# are written directly and stay what they are; no temporary is left.  For
# -o, mql-score --ledger and the files of mql-gen -o DIR.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 200 --seed 9 -o "$tmp/h" -q || fail "mql-gen exited $?"
cd "$tmp" || fail "cd"
mql-report h/contacts.csv --format csv >expected.csv || fail "mql-report exited $?"
[ -s expected.csv ] || fail "no report"
no_temporaries() {
	find "$tmp" -name '.*.??????' | grep -q . && fail "$1: a temporary was left"
	return 0
}

# A chain of two links, the second relative, in another directory.
mkdir out links
echo old >out/report.csv
ln -s ../out/report.csv links/first
ln -s first links/second
mql-report h/contacts.csv --format csv -o links/second || fail "through links: exit $?"
[ -L links/first ] && [ -L links/second ] || fail "a link was replaced"
cmp -s out/report.csv expected.csv || fail "the link's target was not written"
# A dangling link: its target is created.
ln -s ../out/new.csv links/dangling
mql-report h/contacts.csv --format csv -o links/dangling || fail "dangling: exit $?"
[ -L links/dangling ] && cmp -s out/new.csv expected.csv || fail "dangling link"
no_temporaries links

# A FIFO with a reader gets the bytes and stays a FIFO.
mkfifo pipe
cat pipe >from-pipe &
reader=$!
mql-report h/contacts.csv --format csv -o pipe || fail "FIFO: exit $?"
wait $reader
[ -p pipe ] || fail "the FIFO was replaced"
cmp -s from-pipe expected.csv || fail "the FIFO's reader got other bytes"
no_temporaries FIFO

# A character device like /dev/null, made here so that a regression cannot
# replace the machine's /dev/null (without the privilege to make one the
# test cannot replace /dev/null either).
if mknod null c 1 3 2>/dev/null; then
	mql-report h/contacts.csv -o null || fail "device: exit $?"
	[ -c null ] || fail "the device was replaced"
	mql-score h/rules.json h/contacts.csv --ledger null -o scores.txt ||
		fail "ledger onto a device: exit $?"
	[ -c null ] && [ -s scores.txt ] || fail "ledger onto a device"
else
	mql-report h/contacts.csv -o /dev/null || fail "/dev/null: exit $?"
fi
[ -c /dev/null ] || fail "/dev/null is no longer a device"
no_temporaries device

# mql-score --ledger through a link.
echo old >out/ledger.csv
ln -s ../out/ledger.csv links/ledger
mql-score h/rules.json h/contacts.csv --ledger links/ledger -o scores.csv ||
	fail "ledger through a link: exit $?"
[ -L links/ledger ] || fail "the ledger's link was replaced"
[ "$(head -c 3 out/ledger.csv)" != old ] || fail "the ledger was not written"

# mql-gen -o DIR whose contacts.csv is a link to another directory.
mkdir g elsewhere
ln -s ../elsewhere/contacts.csv g/contacts.csv
mql-gen --contacts 200 --seed 9 -o g -q || fail "mql-gen through a link: exit $?"
[ -L g/contacts.csv ] || fail "mql-gen replaced a link"
cmp -s elsewhere/contacts.csv h/contacts.csv || fail "mql-gen's link target"
no_temporaries gen
echo ok
