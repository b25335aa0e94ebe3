package synth

import (
	"os"
	"testing"
)

// BenchmarkWrite10000 is what `cqpgen -n 10000` costs without the process
// start: generation and the disk writes together.
func BenchmarkWrite10000(b *testing.B) {
	for _, layout := range []string{LayoutCQP, LayoutHugo} {
		b.Run(layout, func(b *testing.B) {
			var st Stats
			for b.Loop() {
				b.StopTimer()
				dir, err := os.MkdirTemp(b.TempDir(), "w")
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if st, err = Write(dir, Options{N: 10000, Seed: 42, Layout: layout}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				os.RemoveAll(dir)
				b.StartTimer()
			}
			b.SetBytes(st.Bytes)
		})
	}
}

// BenchmarkFiles10000 is the in-memory form benchmarks of the site builder
// start from.
func BenchmarkFiles10000(b *testing.B) {
	for _, layout := range []string{LayoutCQP, LayoutHugo} {
		b.Run(layout, func(b *testing.B) {
			for b.Loop() {
				if _, err := Files(Options{N: 10000, Seed: 42, Layout: layout}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
