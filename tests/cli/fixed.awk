# tests/cli/fixed.awk — write fixed-width records for the tests. Each input
# line is LENGTH then fields START:WIDTH:VALUE, separated by '|'; a WIDTH
# written rN right-justifies the value (amounts), else it is left-justified.
function put(s, start, width, v,   right) {
	right = substr(width, 1, 1) == "r"
	if (right)
		width = substr(width, 2)
	v = right ? sprintf("%" width "s", v) : sprintf("%-" width "s", v)
	return substr(s, 1, start - 1) v substr(s, start + width)
}
BEGIN { FS = "|" }
{
	r = sprintf("%" $1 "s", "")
	for (i = 2; i <= NF; i++) {
		split($i, f, ":")
		r = put(r, f[1], f[2], f[3])
	}
	print r
}
