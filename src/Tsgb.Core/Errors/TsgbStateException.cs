namespace TsgbKit.Errors;

/// <summary>
/// What the user asked cannot be done in the present state (no model loaded, a layer that did not run in the
/// forward pass, weights not shipped). Derives from <see cref="InvalidOperationException"/>.
/// </summary>
public class TsgbStateException(string message, Exception? inner = null) : InvalidOperationException(message, inner), IUserError;
