/* Data-parallel training over MPI (docs/training.md, "Training on several processes"):
 * the app-side layer that core/learning/trainer.c's shards call to sum statistics and gradients.
 * Built with -DMNT_MPI=ON it uses MPI when the process was started by mpirun (or
 * another MPI launcher); otherwise, and in builds without MPI, it is one process of one. */
#ifndef MNT_TRAIN_MPI_H
#define MNT_TRAIN_MPI_H

#include "trainer.h"

typedef struct {
    int rank, size;
    int local_size; /* processes on this node (for the default BLAS threads) */
    int active;     /* MPI_Init was called */
} train_mpi;

/* Starts MPI when launched by an MPI launcher; an exit code or 0. */
int train_mpi_init(train_mpi *m);
void train_mpi_finalize(train_mpi *m);
/* The trainer's shards of this run (size 1: NULL sums). */
void train_mpi_shards(train_mpi *m, mnt_train_shards *s);
/* The largest of every process's code: every process learns whether one failed. */
int train_mpi_agree(const train_mpi *m, int code);
/* 1 if any process's flag is set. */
int train_mpi_any(const train_mpi *m, int flag);
/* Ends every process (an error one process alone met in a step the others wait in). */
void train_mpi_abort(const train_mpi *m, int code);
/* 1 when the build has MPI. */
int train_mpi_available(void);

#endif
