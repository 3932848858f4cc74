/* Unit tests: contract terms — registry, file, org overrides, --set,
 * unknown terms with suggestions (exit 64), typed values. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <ctype.h>

#include "fixtures.h"
#include "terms.h"

static const char *terms_file(void)
{
	return fx_text("terms.tsv", "term\tvalue\n"
			"base_start\t2023-01-01\nsharing_rate\t0.60\nrisk\ttwo_sided\n"
			"msr\tmssp\nlarge_claim_threshold_esrd\t250000\n");
}

Test(terms, file_values_and_defaults)
{
	struct vbr_terms t;
	int64_t r;
	int32_t d;
	vbr_terms_init(&t);
	vbr_terms_load(&t, terms_file());
	cr_assert_eq(vbr_term_rate(&t, NULL, "sharing_rate", &r), 1);
	cr_assert_eq(r, 600000);
	cr_assert_eq(vbr_term_date(&t, NULL, "base_start", &d), 1);
	cr_assert_str_eq(vbr_term(&t, NULL, "risk"), "two_sided");
	cr_assert_str_eq(vbr_term(&t, NULL, "msr"), "mssp");
	cr_assert_str_eq(vbr_term(&t, NULL, "threshold_mode"), "first_dollar");
	cr_assert_eq(vbr_term_rate(&t, NULL, "measure_completion", &r), 1);
	cr_assert_eq(r, 1000000);
	cr_assert_null(vbr_term(&t, NULL, "mlr"));
	cr_assert_eq(vbr_term_rate(&t, NULL, "mlr", &r), 0);
	int64_t a;
	cr_assert_eq(vbr_term_amount(&t, NULL, "large_claim_threshold_esrd", &a), 1);
	cr_assert_eq(a, 25000000);
	cr_assert_null(vbr_term(&t, NULL, "large_claim_threshold_disabled"));
	vbr_terms_free(&t);
}

Test(terms, org_terms_and_command_line_precedence)
{
	struct vbr_terms t;
	vbr_terms_init(&t);
	vbr_terms_load(&t, terms_file());
	vbr_terms_load_org(&t, fx_text("org.tsv", "org_id\tsharing_rate\trevenue\n"
					"A\t0.75\t1000000\nB\t\t2000\n"));
	cr_assert_str_eq(vbr_term(&t, "A", "sharing_rate"), "0.75");
	cr_assert_str_eq(vbr_term(&t, "B", "sharing_rate"), "0.60");  /* empty: none */
	cr_assert_str_eq(vbr_term(&t, "C", "sharing_rate"), "0.60");
	cr_assert_str_eq(vbr_term(&t, "B", "revenue"), "2000");
	vbr_terms_set(&t, "sharing_rate=0.5");
	cr_assert_str_eq(vbr_term(&t, "A", "sharing_rate"), "0.5");
	vbr_terms_free(&t);
}

Test(terms, suggestion_for_misspelling)
{
	cr_assert_str_eq(vbr_term_suggest("sharing_rat"), "sharing_rate");
	cr_assert_str_eq(vbr_term_suggest("mesure_start"), "measure_start");
	cr_assert_null(vbr_term_suggest("completely_unrelated_words"));
}

static void redirect(void)
{
	cr_redirect_stderr();
}

/* Load a terms file (org: an org terms file) that must stop the process. */
static void load_bad(int org, const char *text)
{
	struct vbr_terms t;
	vbr_terms_init(&t);
	(org ? vbr_terms_load_org : vbr_terms_load)(&t, fx_text("bad.tsv", text));
}

Test(terms, unknown_term_exits_64_with_suggestion, .init = redirect, .exit_code = 64)
{
	load_bad(0, "term\tvalue\nsharing_rat\t0.6\n");
}

Test(terms, bad_value_exits_64, .init = redirect, .exit_code = 64)
{
	load_bad(0, "term\tvalue\ntrend\t7%\n");
}

Test(terms, out_of_range_value_exits_64, .init = redirect, .exit_code = 64)
{
	load_bad(0, "term\tvalue\ntrend\t5\n");     /* trend lies in (-1, 1) */
}

Test(terms, bad_choice_exits_64, .init = redirect, .exit_code = 64)
{
	struct vbr_terms t;
	vbr_terms_init(&t);
	vbr_terms_set(&t, "quality_mode=always");
}

Test(terms, duplicate_exits_64, .init = redirect, .exit_code = 64)
{
	load_bad(0, "term\tvalue\ntrend\t0.1\ntrend\t0.2\n");
}

Test(terms, unknown_org_term_column_exits_64, .init = redirect, .exit_code = 64)
{
	load_bad(1, "org_id\tsharing\nA\t0.5\n");
}

Test(terms, every_registered_default_fits_its_type)
{
	struct vbr_terms t;
	vbr_terms_init(&t);
	for (const struct vbr_term_def *d = vbr_term_defs; d->name; d++) {
		if (!d->deflt || d->prefix)
			continue;
		char a[128];
		snprintf(a, sizeof a, "%s=%s", d->name, d->deflt);
		vbr_terms_set(&t, a);   /* dies on a default of the wrong type */
	}
	vbr_terms_free(&t);
}

/* A term's entry as vbr-terms(5) writes it: "Doc. type[: choices][,
 * range]; default D; read by TOOLS." */
static void term_entry(const struct vbr_term_def *d, char *buf, size_t len)
{
	static const char *const type[] = {"date", "rate", "amount", "count", "flag", "choice",
					   "rate or choice", "list"};
	char choices[160] = "", range[160] = "", words[128];
	if (d->choices)
		snprintf(choices, sizeof choices, ": %s", vbr_names_list(d->choices, words,
									sizeof words));
	if (vbr_term_range_text(d, words, sizeof words))
		snprintf(range, sizeof range, ", %s", words);
	snprintf(buf, len, ".It Li %s%s\n%c%s. %s%s%s; default %s; read by %s.\n", d->name,
		 d->prefix ? "<type>" : "", toupper((unsigned char)d->doc[0]), d->doc + 1, type[d->type],
		 choices, range, !d->deflt ? "none" : *d->deflt ? d->deflt : "empty", d->tools);
}

/* vbr-terms(5) lists every registered term with its type, choices, range,
 * default and readers as the registry has them (run from the project root). */
Test(terms, man_page_lists_every_term)
{
	size_t n;
	char *page = fx_slurp("man/vbr-terms.5", &n);
	for (const struct vbr_term_def *d = vbr_term_defs; d->name; d++) {
		char want[512];
		term_entry(d, want, sizeof want);
		cr_assert_not_null(strstr(page, want), "vbr-terms.5 lacks:\n%s", want);
	}
	free(page);
}
