/*
 * terms.c — fuzz the terms parser (vbr-terms(5)): a terms file, or an org
 * terms file (first byte), checked against the registry's types, choices
 * and ranges as it is read; then every registered term is read back
 * through the accessor of its type, for the first org and for none.
 */
#include "harness.h"

#include <string.h>

#include "terms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read one term through the accessor of its type. */
static void read_term(const struct vbr_terms *t, const char *org, const struct vbr_term_def *d)
{
	int64_t v;
	int32_t date;
	int flag;
	switch (d->type) {
	case VBR_TERM_RATE:
		(void)vbr_term_rate(t, org, d->name, &v);
		break;
	case VBR_TERM_AMOUNT:
		(void)vbr_term_amount(t, org, d->name, &v);
		break;
	case VBR_TERM_DATE:
		(void)vbr_term_date(t, org, d->name, &date);
		break;
	case VBR_TERM_COUNT:
		(void)vbr_term_count(t, org, d->name, &v);
		break;
	case VBR_TERM_FLAG:
		(void)vbr_term_flag(t, org, d->name, &flag);
		break;
	case VBR_TERM_CHOICE:
		(void)vbr_term_choice(t, org, d->name, &flag);
		break;
	default:
		(void)vbr_term(t, org, d->name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	if (size < 1)
		return 0;
	int org_file = data[0] & 1;
	char path[64];
	int fd = fuzz_file("terms", data + 1, size - 1, path, sizeof path);
	static struct vbr_terms t;
	vbr_terms_init(&t);
	if (!setjmp(fuzz_back)) {
		if (org_file)
			vbr_terms_load_org(&t, path);
		else
			vbr_terms_load(&t, path);
		const char *org = t.norgs ? t.org[0] : NULL;
		for (const struct vbr_term_def *d = vbr_term_defs; d->name; d++)
			if (!d->prefix) {
				read_term(&t, NULL, d);
				read_term(&t, org, d);
			}
	}
	vbr_terms_free(&t);
	close(fd);
	return 0;
}
