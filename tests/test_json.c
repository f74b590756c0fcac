#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "test_common.h"

static mnt_json *parse_ok(const char *s)
{
    mnt_json *j = NULL;
    mnt_diag d = {0};
    int rc = mnt_json_parse(s, strlen(s), &j, &d);
    if (rc) fail_msg("parse failed: %s", d.msg);
    return j;
}

static void parses_values(void **state)
{
    (void)state;
    mnt_json *j = parse_ok(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\u00e9\\n\", \"o\": {}} ");
    assert_int_equal(j->kind, MNT_JSON_OBJECT);
    const mnt_json *a = mnt_json_get(j, "a");
    assert_non_null(a);
    assert_int_equal(a->n, 5);
    assert_true(a->items[1].num == -25.0);
    assert_int_equal(a->items[2].kind, MNT_JSON_BOOL);
    assert_int_equal(a->items[4].kind, MNT_JSON_NULL);
    assert_string_equal(mnt_json_get(j, "s")->str, "x\xc3\xa9\n");
    assert_null(mnt_json_get(j, "missing"));
    mnt_json_free(j);
}

static void refuses_malformed(void **state)
{
    (void)state;
    const char *bad[] = {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "\"abc", "[1] 2",
                         "{\"a\":tru}", "\"\\x\"", "\"\\u12\"", "[\"a\nb\"]", "nan", "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mnt_json *j = NULL;
        mnt_diag d = {0};
        int rc = mnt_json_parse(bad[i], strlen(bad[i]), &j, &d);
        if (rc != MNT_ERR_FORMAT) fail_msg("accepted '%s'", bad[i]);
        assert_null(j);
        assert_non_null(strstr(d.msg, "line 1"));
    }
}

static void limits_depth(void **state)
{
    (void)state;
    char s[400];
    memset(s, '[', 200);
    memset(s + 200, ']', 200);
    mnt_json *j = NULL;
    mnt_diag d = {0};
    assert_int_equal(mnt_json_parse(s, sizeof s, &j, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "deep"));
    memset(s, '[', 50);
    memset(s + 50, ']', 50);
    assert_int_equal(mnt_json_parse(s, 100, &j, &d), 0);
    mnt_json_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_values),
        cmocka_unit_test(refuses_malformed),
        cmocka_unit_test(limits_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
