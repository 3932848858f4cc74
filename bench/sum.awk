# sum.awk — the mawk peer of `make bench`: count records, sum paid (column 14).
NR > 1 { n++; s += $14 }
END { printf "%d\t%.2f\n", n, s }
