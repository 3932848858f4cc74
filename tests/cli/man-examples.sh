# Every man page's EXAMPLES run as tests: each "$ command" of a literal
# display runs (in a fresh directory, with the DE-SynPUF files linked in when
# present, and the project's pipelines/), must succeed, and must print
# exactly the lines shown under it (standard output and error together). A display after the comment
# '.\" not run: REASON' is skipped, visibly; a display after the comment
# '.\" continued' runs in the previous display's directory, with its files;
# one after '.\" needs: COMMAND ...' runs only where every command is on the
# PATH ('root': run as root), else is skipped, saying which are missing.
. "$(dirname "$0")/../lib.sh"

# missing COMMAND...: those not on the PATH (nor in /usr/sbin); 'root': not
# running as root
missing() {
	local c out=""
	for c in "$@"; do
		case $c in
		root) [ "$(id -u)" -eq 0 ] || out="${out:+$out, }not root" ;;
		*) command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || out="${out:+$out, }no $c" ;;
		esac
	done
	[ -z "$out" ] || echo "needs what is missing: $out"
}

for page in "$ROOT"/man/*.[157]; do
	awk -v name="${page##*/}" '
		function flush_cmd() {
			if (cmd == "") return
			buf = buf "cat >\"$T/case/.cmd\" <<\\VBR_EOF\n" cmd "VBR_EOF\n"
			buf = buf "cat >\"$T/case/.want\" <<\\VBR_EOF\n" want "VBR_EOF\n"
			buf = buf "(cd \"$T/case\" && sh .cmd) >\"$T/out\" 2>&1 || bad \"exit $? from: $(head -n 1 \"$T/case/.cmd\")\"\n"
			buf = buf "[ ! -s \"$T/case/.want\" ] || cmp -s \"$T/case/.want\" \"$T/out\" || bad \"output of $(head -n 1 \"$T/case/.cmd\" | cut -c1-60) differs: $(diff \"$T/case/.want\" \"$T/out\" | head -n 6 | tr \"\\\\n\" \"|\")\"\n"
			cmd = ""; want = ""; hascmd = 1
		}
		/^\.Sh / { ex = ($0 == ".Sh EXAMPLES") }
		!ex { next }
		/^\.\\" not run: / { skip = substr($0, 14); next }
		/^\.\\" continued/ { keep = 1; next }
		/^\.\\" needs: / { needs = substr($0, 11); next }
		/^\.Bd -literal/ {
			n++; inb = 1
			hascmd = 0
			if (skip != "") { printf "skip_case \"%s example %d\" \"%s\"\n", name, n, skip; run = 0 }
			else {
				run = 1
				buf = sprintf("case_ \"%s example %d\"\n", name, n)
				if (!keep) {
					buf = buf "rm -rf \"$T/case\"; mkdir \"$T/case\"\n"
					buf = buf "[ -d \"$DATA/desynpuf\" ] && ln -s \"$DATA\"/desynpuf/* \"$T/case/\"\n"
					buf = buf "ln -s \"$ROOT/pipelines\" \"$T/case/pipelines\"\n"
				}
			}
			skip = ""; keep = 0; next
		}
		/^\.Ed/ {
			if (run) {
				flush_cmd()
				if (hascmd && needs != "")
					printf "why=$(missing %s)\nif [ -z \"$why\" ]; then\n%sdone_case\nelse skip_case \"%s example %d\" \"$why\"; fi\n", needs, buf, name, n
				else if (hascmd && buf ~ /DE1_0_/)
					printf "if [ -d \"$DATA/desynpuf\" ]; then\n%sdone_case\nelse skip_case \"%s example %d\" \"needs $DATA/desynpuf\"; fi\n", buf, name, n
				else if (hascmd)
					printf "%sdone_case\n", buf
			}
			inb = 0; run = 0; cont = 0; needs = ""; next
		}
		!inb || !run { next }
		{ gsub(/\\e/, "\\"); gsub(/\\&/, "") }
		cont { cmd = cmd $0 "\n"; cont = ($0 ~ /\\$/); next }
		/^\$ / { flush_cmd(); cmd = substr($0, 3) "\n"; cont = ($0 ~ /\\$/); next }
		{ want = want $0 "\n" }
	' "$page" >"$T/examples.sh"
	. "$T/examples.sh"
done
