/* Every ISO, ANSI and xyt sample of ../shared/data/templates against the verdict of its
 * README: valid (read), invalid (refused with a reason), lenient only (refused strictly,
 * read with lenient), unsupported version (refused as such). Skips without the folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "template_io.h"
#include "test_common.h"

typedef enum { VALID, INVALID, LENIENT_ONLY, UNSUPPORTED } verdict;

static const struct {
    const char *file;
    verdict v;
    int views, first_n; /* expected when read */
} SAMPLES[] = {
    {"fjfx_a001_03p.ist", VALID, 1, 68},
    {"fjfx_b001_04p.ist", VALID, 1, 50},
    {"openafis_fvc2002_db1b_101_1.iso", VALID, 1, 25},
    {"openafis_invalid_101_1_truncate_1_byte.iso", INVALID, 0, 0},
    {"biomdi_iso19794-2-2005_annexC2_example.iso", LENIENT_ONLY, 2, 27},
    /* "ambiguous" in the README: this project reads ISO 2005 area lengths as including
     * their header (BiomDI), so FingerprintIO's data-only sample is lenient only */
    {"fingerprintio_iso19794p2v2005-sample.dat", LENIENT_ONLY, 2, 27},
    {"biomdi_ansi378-2004_annexB2_example.ansi", VALID, 2, 27},
    {"fingerprintio_ansi378v2004-sample.dat", INVALID, 0, 0},
    {"fingerprintio_ansi378v2009-sample.dat", UNSUPPORTED, 0, 0},
    {"fingerprintio_ansi378v2009am1-sample.dat", UNSUPPORTED, 0, 0},
    {"fingerprintio_iso19794p2v2011-sample.dat", LENIENT_ONLY, 2, 27},
    {"kwelivote_test.xyt", VALID, 1, 4},
};

static int read_sample(const char *path, int lenient, mnt_template *t, mnt_diag *d)
{
    mnt_read_opts o = {0};
    o.lenient = lenient;
    o.height = 512; /* for the NIST-frame xyt */
    memset(d, 0, sizeof *d);
    return mnt_template_read_file(path, &o, NULL, t, d);
}

static void samples_match_verdicts(void **state)
{
    (void)state;
    const char *shared = tc_shared_dir();
    char dir[4096];
    if (shared) snprintf(dir, sizeof dir, "%s/templates", shared);
    if (!shared || access(dir, R_OK) != 0) {
        skip();
        return;
    }
    for (size_t i = 0; i < sizeof SAMPLES / sizeof *SAMPLES; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, SAMPLES[i].file);
        mnt_template t;
        mnt_diag d;
        int strict = read_sample(path, 0, &t, &d);
        if (!strict) mnt_template_free(&t);
        int lenient = read_sample(path, 1, &t, &d);
        switch (SAMPLES[i].v) {
        case VALID:
            if (strict) fail_msg("%s: valid sample refused: %s", SAMPLES[i].file, d.msg);
            break;
        case INVALID:
            if (strict != MNT_ERR_FORMAT || lenient != MNT_ERR_FORMAT)
                fail_msg("%s: invalid sample not refused (strict %d, lenient %d)", SAMPLES[i].file, strict, lenient);
            assert_true(d.msg[0]);
            break;
        case LENIENT_ONLY:
            if (strict != MNT_ERR_FORMAT || lenient != 0)
                fail_msg("%s: expected strict refusal and lenient read (strict %d, lenient %d: %s)", SAMPLES[i].file,
                         strict, lenient, d.msg);
            assert_true(d.warn[0]);
            break;
        case UNSUPPORTED:
            if (strict != MNT_ERR_UNSUPPORTED || lenient != MNT_ERR_UNSUPPORTED)
                fail_msg("%s: expected 'unsupported version' (strict %d, lenient %d)", SAMPLES[i].file, strict, lenient);
            assert_non_null(strstr(d.msg, "unsupported version"));
            break;
        }
        if (lenient == 0) {
            assert_int_equal((int)t.nviews, SAMPLES[i].views);
            assert_int_equal((int)t.views[0].n, SAMPLES[i].first_n);
            mnt_template_free(&t);
        }
    }
}

/* Cross-check decoded values with FingerprintIO's JSON decoding of its ISO 2005 sample. */
static void iso_sample_matches_reference_json(void **state)
{
    (void)state;
    const char *shared = tc_shared_dir();
    char path[4200];
    if (!shared) { skip(); return; }
    snprintf(path, sizeof path, "%s/templates/fingerprintio_iso19794p2v2005-sample.dat", shared);
    if (access(path, R_OK) != 0) { skip(); return; }
    mnt_template t;
    mnt_diag d;
    assert_int_equal(read_sample(path, 1, &t, &d), 0);
    /* first minutiae per the .json: ENDING (100,14) angle 80 q 90; ENDING (164,17) 60 q 80 */
    const mnt_minutia *m = t.views[0].m;
    assert_true(m[0].x == 100 && m[0].y == 14 && m[0].type == MNT_TYPE_ENDING && m[0].quality == 90);
    assert_int_equal(mnt_angle_to_iso(m[0].angle), 80);
    assert_true(m[1].x == 164 && m[1].y == 17 && m[1].quality == 80);
    assert_int_equal(mnt_angle_to_iso(m[1].angle), 60);
    assert_int_equal(m[2].type, MNT_TYPE_BIFURCATION);
    assert_int_equal(t.views[0].position, 7); /* LEFT_INDEX */
    mnt_template_free(&t);
}

int main(void)
{
    /* without the shared data there is nothing to test: ctest shows a skip, not a pass */
    const char *shared = tc_shared_dir();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/templates", shared ? shared : "");
    if (!shared || access(dir, R_OK) != 0) {
        fprintf(stderr, "skipped: no shared sample templates at %s (MNT_SHARED_DATA)\n", shared ? dir : "(unset)");
        return TC_SKIP;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(samples_match_verdicts),
        cmocka_unit_test(iso_sample_matches_reference_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
