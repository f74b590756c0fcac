#include <stdlib.h>
#include <string.h>

#include "test_common.h"

static void buf_writes_big_endian(void **state)
{
    (void)state;
    mnt_buf b = {0};
    mnt_buf_u8(&b, 0xAB);
    mnt_buf_u16(&b, 0x1234);
    mnt_buf_u32(&b, 0xDEADBEEF);
    const uint8_t want[] = {0xAB, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF};
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    mnt_buf_set_u16(&b, 1, 0xBEEF);
    assert_int_equal(b.data[1], 0xBE);
    mnt_buf_free(&b);
}

static void buf_printf_grows(void **state)
{
    (void)state;
    mnt_buf b = {0};
    for (int i = 0; i < 1000; i++) mnt_buf_printf(&b, "%04d,", i);
    assert_int_equal(b.len, 5000);
    assert_memory_equal(b.data + 4995, "0999,", 5);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    mnt_buf_printf(&b, "%s", big);
    assert_int_equal(b.len, 5000 + 599);
    mnt_buf_free(&b);
}

static void json_string_escapes(void **state)
{
    (void)state;
    mnt_buf b = {0};
    mnt_buf_json_string(&b, "a\"b\\c\n");
    mnt_buf_u8(&b, 0);
    assert_string_equal((char *)b.data, "\"a\\\"b\\\\c\\u000a\"");
    mnt_buf_free(&b);
}

static void cursor_refuses_overrun(void **state)
{
    (void)state;
    const uint8_t data[] = {1, 2, 3};
    mnt_cursor c = {data, sizeof data, 0};
    unsigned v;
    uint32_t w;
    mnt_diag d = {0};
    assert_int_equal(mnt_cur_u16(&c, &v, "first", &d), 0);
    assert_int_equal(v, 0x0102);
    assert_int_equal(mnt_cur_u16(&c, &v, "second", &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "second"));
    assert_int_equal(mnt_cur_u32(&c, &w, "third", &d), MNT_ERR_FORMAT);
    assert_int_equal(mnt_cur_u8(&c, &v, "fourth", &d), 0);
    assert_int_equal(v, 3);
    assert_int_equal(mnt_cur_skip(&c, 1, "fifth", &d), MNT_ERR_FORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_writes_big_endian),
        cmocka_unit_test(buf_printf_grows),
        cmocka_unit_test(json_string_escapes),
        cmocka_unit_test(cursor_refuses_overrun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
