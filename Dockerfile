# The `tsgb` tool in a container, built from this repository (nothing is downloaded at run time: no weights, no data).
#   docker build -t tsgb:0.1 .
#   docker run --rm -v /data/VOCdevkit:/data/voc:ro -v /data/weights:/weights:ro -v $PWD/parts:/parts tsgb:0.1 \
#     evaluate --dataset voc07:/data/voc --model vgg16 --weights /weights/vgg16_voc.safetensors --labels voc \
#              --methods all --difficult /weights/pointing_game_ebp_voc07_difficult.txt --shard 0/8 --part /parts/part-0.jsonl --resume
# Cluster recipes: deploy/slurm/evaluate-array.sh (job array), deploy/kubernetes/evaluate-indexed-job.yaml (Indexed Job).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY build/packaging/ build/packaging/
COPY src/ src/
RUN dotnet publish src/Tsgb.Interactive/Tsgb.Interactive.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
# libgomp for libtorch's OpenMP; the runtime image's libstdc++ (GCC ≥ 13) has GLIBCXX_3.4.32, so TorchSharp loads as is
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
# the numerics self-check remembers faulty configurations per CPU here; a writable place in any container
ENV TSGB_CACHE=/tmp/tsgb-cache DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /work
ENTRYPOINT ["dotnet", "/app/tsgb.dll"]
CMD ["--help"]
