# tests/cli/cclf5.awk — write CCLF5 records (388 bytes, the CCLF Information
# Packet's positions) for the tests, one per input line:
# uniq|line|mbi|from|thru|npi|tin|hcpcs|paid|allowed|adj|eff|cntl
function put(s, start, len, v, right) {
	if (right) v = sprintf("%" len "s", v); else v = sprintf("%-" len "s", v)
	return substr(s, 1, start - 1) v substr(s, start + len)
}
BEGIN { FS = "|" }
{
	r = sprintf("%388s", "")
	r = put(r, 1, 13, $1); r = put(r, 14, 10, $2); r = put(r, 24, 11, $3); r = put(r, 46, 2, "71")
	r = put(r, 48, 10, $4); r = put(r, 58, 10, $5); r = put(r, 78, 10, $4); r = put(r, 88, 10, $5)
	r = put(r, 73, 2, "08"); r = put(r, 76, 2, "11"); r = put(r, 98, 5, $8)
	r = put(r, 103, 15, $9, 1); r = put(r, 126, 10, $7); r = put(r, 136, 10, $6)
	r = put(r, 150, 2, $11, 1); r = put(r, 152, 10, $12); r = put(r, 172, 40, $13)
	r = put(r, 223, 17, $10, 1); r = put(r, 276, 7, "I10")
	print r
}
