#!/bin/bash
# TorchRay's pointing game on PASCAL VOC 2007 test, every method, as a Slurm job array: task i of N evaluates shard i/N
# (images whose index mod N is i) into its own part file; a dependent job merges the parts into one table.
#
#   sbatch --array=0-15 deploy/slurm/evaluate-array.sh            # 16 shards
#   sbatch --dependency=afterok:<jobid> --wrap "$TSGB merge $OUT/part-*.jsonl --out $OUT/voc07-vgg16.csv"
#
# The tool runs from the container image built by the repository's Dockerfile, converted for Apptainer once:
#   docker build -t tsgb:0.1 . && docker save tsgb:0.1 -o tsgb.tar && apptainer build tsgb.sif docker-archive://tsgb.tar
# (or set TSGB="dotnet /path/to/publish/tsgb.dll" on a cluster with .NET 10).
# A task that is preempted or requeued continues where it stopped (--resume); rerunning a finished task does nothing.
#SBATCH --job-name=tsgb-voc07
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=tsgb-%A_%a.log
set -euo pipefail

DATA=${DATA:-/datasets/VOCdevkit}                        # holds VOC2007/{JPEGImages,Annotations,ImageSets}
WEIGHTS=${WEIGHTS:-/models/vgg16_voc.safetensors}        # VGG16 fine-tuned on VOC's 20 classes
DIFFICULT=${DIFFICULT:-/models/pointing_game_ebp_voc07_difficult.txt}
OUT=${OUT:-$PWD/parts}
SIF=${SIF:-$PWD/tsgb.sif}
# More metrics, the same in every task (merge refuses parts that differ): e.g. EXTRA="--causal-images 500
# --class-sensitivity" adds deletion/insertion on the images of index < 500, and class sensitivity on all.
EXTRA=${EXTRA:-}
TSGB=${TSGB:-apptainer exec --bind "$DATA:$DATA:ro,$(dirname "$WEIGHTS"):$(dirname "$WEIGHTS"):ro,$OUT:$OUT" "$SIF" dotnet /app/tsgb.dll}

N=${SLURM_ARRAY_TASK_COUNT:?run with sbatch --array=0-(N-1)}
I=${SLURM_ARRAY_TASK_ID}
mkdir -p "$OUT"
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-8}

$TSGB evaluate --dataset "voc07:$DATA" --model vgg16 --weights "$WEIGHTS" --labels voc --methods all \
  --difficult "$DIFFICULT" --shard "$I/$N" --part "$OUT/part-$I.jsonl" --resume $EXTRA
