/* YAML configs: binding, defaults, refusal of unknown keys, bad values, aliases. */
#include <string.h>

#include "synth_config.h"
#include "test_common.h"
#include "yaml_tree.h"

static int parse(const char *text, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d)
{
    mnt_synth_defaults(sp);
    mnt_latent_defaults(lp);
    memset(d, 0, sizeof *d);
    return mnt_synth_config_parse(text, strlen(text), sp, lp, d);
}

static void binds_values(void **state)
{
    (void)state;
    mnt_synth_params sp;
    mnt_latent_params lp;
    mnt_diag d;
    const char *cfg = "print:\n  width: 512\n  period: [9, 10]\n  classes:\n    whorl: 0\n"
                      "levels:\n  ugly:\n    blur: 2.5\n    p_lines: 0\nhidden:\n  border_margin: 4\n";
    assert_int_equal(parse(cfg, &sp, &lp, &d), 0);
    assert_int_equal(sp.width, 512);
    assert_int_equal(sp.height, 640); /* default kept */
    assert_true(sp.period_min == 9 && sp.period_max == 10);
    assert_true(sp.class_weights[MNT_CLASS_WHORL] == 0);
    assert_true(lp.level[MNT_LEVEL_UGLY].blur.lo == 2.5 && lp.level[MNT_LEVEL_UGLY].blur.hi == 2.5);
    assert_true(lp.level[MNT_LEVEL_UGLY].p_lines == 0);
    assert_int_equal(lp.border_margin, 4);
    assert_int_equal(parse("", &sp, &lp, &d), 0); /* empty: all defaults */
}

static void refuses_bad_configs(void **state)
{
    (void)state;
    struct { const char *text, *needle; } bad[] = {
        {"print:\n  widht: 3\n", "unknown setting 'print.widht'"},
        {"print:\n  width: big\n", "not a number"},
        {"print:\n  width: 12.5\n", "not an integer"},
        {"print:\n  width: 50\n", "size"},
        {"print:\n  period: [12, 9]\n", "above"},
        {"print:\n  period: [1, 2, 3]\n", "[low, high]"},
        {"levels:\n  awful:\n    blur: 1\n", "unknown setting"},
        {"levels:\n  good:\n    p_text: 1.5\n", "p_text"},
        {"a: &x 1\nb: *x\n", "aliases"},
        {"print:\n  width: 1\n  width: 2\n", "duplicate"},
        {"print: [1, 2\n", "syntax"},
        {"- 1\n- 2\n", "mapping"},
        {"print:\n  classes:\n    arch: 0\n    tented_arch: 0\n    left_loop: 0\n    right_loop: 0\n    whorl: 0\n", "zero"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mnt_synth_params sp;
        mnt_latent_params lp;
        mnt_diag d;
        int rc = parse(bad[i].text, &sp, &lp, &d);
        if (rc != MNT_ERR_CONFIG) fail_msg("config %zu accepted (rc %d)", i, rc);
        if (!strstr(d.msg, bad[i].needle)) fail_msg("config %zu: '%s' lacks '%s'", i, d.msg, bad[i].needle);
    }
}

static void billion_laughs_is_bounded(void **state)
{
    (void)state;
    const char *bomb = "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
    mnt_ynode *root;
    mnt_diag d = {0};
    assert_int_equal(mnt_yaml_parse(bomb, strlen(bomb), &root, &d), MNT_ERR_CONFIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binds_values),
        cmocka_unit_test(refuses_bad_configs),
        cmocka_unit_test(billion_laughs_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
