namespace TsgbKit.Errors;

/// <summary>
/// An argument the user gave is wrong: an unknown method or layer, an option out of range, a target the model does
/// not have. Derives from <see cref="ArgumentException"/> so that callers catching that still do.
/// </summary>
public class TsgbInputException(string message, Exception? inner = null) : ArgumentException(message, inner), IUserError;
