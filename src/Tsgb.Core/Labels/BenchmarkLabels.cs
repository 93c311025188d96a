using TsgbKit.Synthetic;

namespace TsgbKit.Labels;

/// <summary>
/// The label sets of the pointing-game benchmarks, in TorchRay's order (<c>torchray.benchmark.datasets</c>):
/// PASCAL VOC's 20 classes and COCO's 80 (COCO's category ids 1…90 in ascending order, TorchRay's names).
/// </summary>
public static class BenchmarkLabels
{
    public static IReadOnlyList<string> VocNames { get; } =
    [
        "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow", "diningtable", "dog",
        "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    public static IReadOnlyList<string> CocoNames { get; } =
    [
        "person", "bicycle", "car", "motorbike", "aeroplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow", "elephant",
        "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard",
        "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
        "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange", "broccoli",
        "carrot", "hot dog", "pizza", "donut", "cake", "chair", "sofa", "pottedplant", "bed", "diningtable", "toilet",
        "tvmonitor", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink",
        "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
    ];

    /// <summary>COCO's category ids of the 80 classes, in class-index order.</summary>
    public static IReadOnlyList<int> CocoCategoryIds { get; } =
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32, 33, 34,
        35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90,
    ];

    public static LabelSet Voc { get; } = new(VocNames, "PASCAL VOC (20)");
    public static LabelSet Coco { get; } = new(CocoNames, "COCO (80)");

    /// <summary>A built-in label set by name (imagenet, voc, coco, scenes); null for any other text.</summary>
    public static LabelSet? Named(string name) => name.ToLowerInvariant() switch
    {
        "imagenet" => LabelSet.ImageNet,
        "voc" or "voc07" or "pascal" => Voc,
        "coco" or "coco14" => Coco,
        "scenes" => new LabelSet(SceneClasses.Names, "scenes (8)"),
        _ => null,
    };

    /// <summary>What <c>--labels TEXT</c> means: a built-in set by name unless a file of that name exists, else the file.</summary>
    public static LabelSet FromOption(string text) =>
        !File.Exists(text) && Named(text) is { } named ? named : LabelSet.FromFile(text);
}
