namespace TsgbKit.Jupyter.Handlers;

/// <summary>Handles some message types; the dispatcher wraps every call in busy/idle.</summary>
internal interface IRequestHandler
{
    IReadOnlyCollection<string> MessageTypes { get; }

    void Handle(RequestContext context);
}
