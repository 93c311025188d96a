namespace TsgbKit.Synthetic;

/// <summary>The shape classes of the synthetic scenes, in their fixed output order.</summary>
public enum SceneClass
{
    Circle = 0,
    Square = 1,
    Triangle = 2,
    Star = 3,
    Cross = 4,
    Ring = 5,
    Hexagon = 6,
    Arrow = 7,
}

/// <summary>Class names in output order: index <c>i</c> of a model's output is <c>Names[i]</c>.</summary>
public static class SceneClasses
{
    /// <summary>The class names (lower case), usable directly as a label list.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["circle", "square", "triangle", "star", "cross", "ring", "hexagon", "arrow"];

    /// <summary>Number of classes (length of a target vector).</summary>
    public static int Count => Names.Count;

    /// <summary>The name of a class index.</summary>
    public static string NameOf(int classIndex) => Names[classIndex];

    /// <summary>The index of a class name (case-insensitive); -1 when unknown.</summary>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
