using System.Security.Cryptography;
using System.Text;

namespace TsgbKit.Jupyter.Messages;

/// <summary>
/// HMAC of header, parent_header, metadata and content (in that order), as lowercase hex.
/// An empty key disables signing and checking, as the protocol specifies.
/// </summary>
internal sealed class MessageSigner
{
    private readonly byte[]? _key;
    private readonly HashAlgorithmName _algorithm;

    public MessageSigner(string key, string scheme = "hmac-sha256")
    {
        _algorithm = scheme switch
        {
            "hmac-sha256" => HashAlgorithmName.SHA256,
            "hmac-sha384" => HashAlgorithmName.SHA384,
            "hmac-sha512" => HashAlgorithmName.SHA512,
            "hmac-sha1" => HashAlgorithmName.SHA1,
            _ => throw new NotSupportedException($"Unsupported signature_scheme '{scheme}'."),
        };
        _key = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
    }

    public bool Enabled => _key is not null;

    /// <summary>The signature frame: hex digest, or empty when signing is disabled.</summary>
    public byte[] Sign(byte[] header, byte[] parentHeader, byte[] metadata, byte[] content)
    {
        if (_key is null) return [];
        using var hmac = IncrementalHash.CreateHMAC(_algorithm, _key);
        hmac.AppendData(header);
        hmac.AppendData(parentHeader);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hmac.GetHashAndReset()));
    }

    /// <summary>Constant-time check of a received signature frame; always true when signing is disabled.</summary>
    public bool Verify(byte[] signature, byte[] header, byte[] parentHeader, byte[] metadata, byte[] content)
    {
        if (_key is null) return true;
        var expected = Sign(header, parentHeader, metadata, content);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
