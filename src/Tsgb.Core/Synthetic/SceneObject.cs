namespace TsgbKit.Synthetic;

/// <summary>
/// One object of a scene: its class, the mask of exactly its visible pixels (its own silhouette minus the parts later
/// objects cover), and the tight box around that mask.
/// </summary>
public sealed record SceneObject(int ClassIndex, Mask Mask, Box Box)
{
    public string ClassName => SceneClasses.NameOf(ClassIndex);
    public SceneClass Class => (SceneClass)ClassIndex;
}
