#include "train_mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifdef MNT_HAVE_MPI
#include <mpi.h>

/* What the sums cost (printed at the end with MNT_MPI_STATS=1 in the environment). */
static struct {
    long calls;
    double bytes, seconds;
} stats;

static int timed_sum(void *v, int n, MPI_Datatype type, size_t elem)
{
    double t0 = MPI_Wtime();
    int rc = MPI_Allreduce(MPI_IN_PLACE, v, n, type, MPI_SUM, MPI_COMM_WORLD);
    stats.seconds += MPI_Wtime() - t0;
    stats.calls++;
    stats.bytes += (double)n * (double)elem;
    return rc == MPI_SUCCESS ? MNT_OK : MNT_ERR_IO;
}

/* Started by mpirun / srun / hydra: their environment. A plain `minutiae train` of an
 * MPI build never initialises MPI (no singleton start-up, no launcher needed). */
static int launched_by_mpi(void)
{
    static const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK", NULL};
    for (int i = 0; vars[i]; i++)
        if (getenv(vars[i])) return 1;
    return 0;
}

static int sum_f64(void *ctx, double *v, size_t n)
{
    (void)ctx;
    if (n > (size_t)0x7fffffff) return MNT_ERR_LIMIT;
    return timed_sum(v, (int)n, MPI_DOUBLE, sizeof *v);
}

static int sum_f32(void *ctx, float *v, size_t n)
{
    (void)ctx;
    if (n > (size_t)0x7fffffff) return MNT_ERR_LIMIT;
    return timed_sum(v, (int)n, MPI_FLOAT, sizeof *v);
}

int train_mpi_available(void)
{
    return 1;
}

int train_mpi_init(train_mpi *m)
{
    memset(m, 0, sizeof *m);
    m->size = m->local_size = 1;
    if (!launched_by_mpi()) return 0;
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS) {
        cli_error(NULL, "train: MPI_Init failed");
        return 70; /* EX_SOFTWARE */
    }
    m->active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m->size);
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Comm_size(node, &m->local_size);
        MPI_Comm_free(&node);
    }
    return 0;
}

void train_mpi_finalize(train_mpi *m)
{
    const char *want = getenv("MNT_MPI_STATS");
    if (m->active && want && *want == '1')
        fprintf(stderr, "minutiae: train: rank %d of %d: %ld sums, %.1f MB in, %.3f s in MPI_Allreduce\n", m->rank, m->size,
                stats.calls, stats.bytes / 1e6, stats.seconds);
    if (m->active) MPI_Finalize();
    m->active = 0;
}

void train_mpi_shards(train_mpi *m, mnt_train_shards *s)
{
    *s = (mnt_train_shards){m->rank, m->size, NULL, NULL, NULL};
    if (m->size > 1) {
        s->sum_f64 = sum_f64;
        s->sum_f32 = sum_f32;
        s->ctx = m;
    }
}

int train_mpi_agree(const train_mpi *m, int code)
{
    int all = code;
    if (m->size > 1) MPI_Allreduce(&code, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

int train_mpi_any(const train_mpi *m, int flag)
{
    return train_mpi_agree(m, flag != 0);
}

void train_mpi_abort(const train_mpi *m, int code)
{
    if (m->size > 1) MPI_Abort(MPI_COMM_WORLD, code);
}

#else

int train_mpi_available(void)
{
    return 0;
}

int train_mpi_init(train_mpi *m)
{
    memset(m, 0, sizeof *m);
    m->size = m->local_size = 1;
    /* started as one of several processes: each would train alone and write the same
     * files */
    static const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", NULL};
    for (int i = 0; vars[i]; i++) {
        const char *v = getenv(vars[i]);
        if (v && atoi(v) > 1) {
            cli_error(NULL, "train: started as one of %s processes, but this build has no MPI (configure with -DMNT_MPI=ON)", v);
            return EXIT_USAGE;
        }
    }
    return 0;
}

void train_mpi_finalize(train_mpi *m)
{
    (void)m;
}

void train_mpi_shards(train_mpi *m, mnt_train_shards *s)
{
    (void)m;
    *s = (mnt_train_shards){0, 1, NULL, NULL, NULL};
}

int train_mpi_agree(const train_mpi *m, int code)
{
    (void)m;
    return code;
}

int train_mpi_any(const train_mpi *m, int flag)
{
    (void)m;
    return flag != 0;
}

void train_mpi_abort(const train_mpi *m, int code)
{
    (void)m;
    (void)code;
}

#endif
