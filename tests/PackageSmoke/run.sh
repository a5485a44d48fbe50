#!/usr/bin/env bash
# Package smoke test: packs src/SharedTask into a local folder, restores that package into a fresh consumer project
# outside the repository (Consumer/ copied to a temporary folder), builds it warning-free and runs it, then builds it
# with Misuse/ and checks that every analyzer reports its misuse in its own file. Prints one line per check.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet pack "$repo/src/SharedTask/SharedTask.csproj" -c Release -o "$work/feed" -v quiet -nologo
package="$(basename "$(ls "$work"/feed/SharedTask.*.nupkg)")"
version="${package#SharedTask.}"
version="${version%.nupkg}"
[ -f "$work/feed/SharedTask.$version.snupkg" ] || { echo "smoke: FAILED: no symbols package beside $package" >&2; exit 1; }

cp -R "$here/Consumer" "$work/consumer"
# The local feed is added to the machine's configured sources (not replacing them): the package's own dependency
# comes from where the repository's restore found it. A private packages folder keeps every run on the package just
# packed (the global folder would keep serving an older build of the same version); the global folder is a fallback,
# so nothing already restored is downloaded again.
cat > "$work/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="sharedtask-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
global_packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
props=(-p:SharedTaskVersion="$version" -p:RestorePackagesPath="$work/packages"
       -p:RestoreAdditionalProjectFallbackFolders="$global_packages"
       -p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false -p:ImportDirectoryPackagesProps=false)

cd "$work/consumer"
dotnet restore "${props[@]}" -v quiet -nologo
analyzers="$(ls "$work"/packages/sharedtask/"$version"/analyzers/dotnet/cs/ 2>/dev/null | tr '\n' ' ')"
[ -n "$analyzers" ] || { echo "smoke: FAILED: the restored package has no analyzers/dotnet/cs" >&2; exit 1; }

# Without the misuse files: no warning at all (warnings are errors here), and the program runs.
dotnet build "${props[@]}" --no-restore -c Release -warnaserror -v quiet -nologo -clp:NoSummary
output="$(dotnet run --no-build -c Release)"
[ "$output" = "smoke: ok" ] || { echo "smoke: FAILED: the consumer printed: $output" >&2; exit 1; }
echo "smoke: SharedTask $version restored from a local feed (analyzers: $analyzers), consumer built clean and ran"

# With them: each file must get exactly its own analyzer's diagnostic.
log="$work/misuse.log"
dotnet build "${props[@]}" -p:WithMisuse=true -p:TreatWarningsAsErrors=false --no-restore -c Release -nologo \
  --no-incremental > "$log" 2>&1 || { cat "$log" >&2; echo "smoke: FAILED: the misuse build did not compile" >&2; exit 1; }
failed=0
for check in ConsumedTwice:SHTASK001 DiscardedResult:SHTASK002 PlainCopy:SHTASK003 PointerAfterDispose:SHTASK004; do
  file="${check%%:*}"
  id="${check##*:}"
  found="$(grep -o "Misuse/$file.cs([0-9,]*): warning SHTASK[0-9]*" "$log" | sed 's/.*warning //' | sort -u | tr '\n' ' ')"
  if [ "$found" = "$id " ]; then
    echo "smoke: Misuse/$file.cs reports $id"
  else
    echo "smoke: FAILED: Misuse/$file.cs should report exactly $id, reported: ${found:-nothing}" >&2
    failed=1
  fi
done
exit "$failed"
