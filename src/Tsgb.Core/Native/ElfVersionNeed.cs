using System.Buffers.Binary;
using System.Text;

namespace TsgbKit.Native;

/// <summary>
/// Reads and edits the version-need table (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF shared object.
/// Marking an entry weak (VER_FLG_WEAK) makes glibc warn instead of refusing to load the library
/// when the system lacks that symbol version.
/// </summary>
internal static class ElfVersionNeed
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>Sets VER_FLG_WEAK on every version-need entry named <paramref name="version"/>; returns how many changed.</summary>
    public static int MakeWeak(Span<byte> elf, string version)
    {
        int changed = 0;
        foreach (var (auxOffset, name, flags) in Entries(elf))
        {
            if (name != version || (flags & VerFlgWeak) != 0) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.Slice(auxOffset + 4), (ushort)(flags | VerFlgWeak));
            changed++;
        }
        return changed;
    }

    /// <summary>The names of the version-need entries that are not weak.</summary>
    public static IReadOnlyList<string> StrongNeeds(ReadOnlySpan<byte> elf)
    {
        var names = new List<string>();
        foreach (var (_, name, flags) in Entries(elf))
            if ((flags & VerFlgWeak) == 0) names.Add(name);
        return names;
    }

    static List<(int AuxOffset, string Name, ushort Flags)> Entries(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        int shoff = checked((int)U64(elf, 0x28));
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        var result = new List<(int, string, ushort)>();
        for (int i = 0; i < shnum; i++)
        {
            int sh = shoff + i * shentsize;
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            int tableOffset = checked((int)U64(elf, sh + 0x18));
            int strtab = shoff + (int)U32(elf, sh + 0x28) * shentsize;
            int strOffset = checked((int)U64(elf, strtab + 0x18));
            int count = (int)U32(elf, sh + 0x2C);

            int vn = tableOffset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = U16(elf, vn + 2);
                int aux = vn + (int)U32(elf, vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameAt = strOffset + (int)U32(elf, aux + 8);
                    int length = elf.Slice(nameAt).IndexOf((byte)0);
                    result.Add((aux, Encoding.ASCII.GetString(elf.Slice(nameAt, length)), U16(elf, aux + 4)));
                    aux += (int)U32(elf, aux + 12);
                }
                uint next = U32(elf, vn + 12);
                if (next == 0) break;
                vn += (int)next;
            }
        }
        return result;
    }

    static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at));
    static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at));
    static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(at));
}
