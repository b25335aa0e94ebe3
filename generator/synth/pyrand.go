package synth

import (
	"crypto/sha512"
	"encoding/binary"
	"math"
	"math/bits"
	"sort"
)

// pyRandom reproduces CPython's random.Random (3.11/3.12): the MT19937
// generator, version-2 seeding from a string, and the few methods
// gen_corpus.py calls, draw for draw. math/rand would be simpler, but only
// the same stream of numbers gives the same catalogue as the Python tool, and
// that is what lets the Hugo and cqp benchmarks compare like with like.
type pyRandom struct {
	mt    [mtN]uint32
	index int
}

const (
	mtN       = 624
	mtM       = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// newPyRandom is random.Random(seed) for a str seed: the key is the big
// integer whose bytes are the UTF-8 seed followed by its SHA-512 digest,
// cut into 32-bit words from the least significant end.
func newPyRandom(seed string) *pyRandom {
	sum := sha512.Sum512([]byte(seed))
	b := make([]byte, 0, len(seed)+len(sum))
	b = append(append(b, seed...), sum[:]...)
	for len(b) > 0 && b[0] == 0 {
		b = b[1:] // int.from_bytes drops them; they would add a zero word
	}
	key := make([]uint32, 0, (len(b)+3)/4)
	for end := len(b); end > 0; end -= 4 {
		var w [4]byte
		start := max(end-4, 0)
		copy(w[4-(end-start):], b[start:end])
		key = append(key, binary.BigEndian.Uint32(w[:]))
	}
	if len(key) == 0 {
		key = append(key, 0)
	}
	r := &pyRandom{}
	r.initByArray(key)
	return r
}

func (r *pyRandom) initGenrand(s uint32) {
	mt := &r.mt
	mt[0] = s
	for i := 1; i < mtN; i++ {
		s = 1812433253*(s^(s>>30)) + uint32(i)
		mt[i] = s
	}
	r.index = mtN
}

// initByArray is CPython's init_by_array. prev carries mt[i-1] from one
// step to the next: the loops are serial by nature, and this keeps them to
// one load and one store per step.
func (r *pyRandom) initByArray(key []uint32) {
	r.initGenrand(19650218)
	mt := &r.mt
	i, j := 1, 0
	prev := mt[0]
	for k := max(mtN, len(key)); k > 0; k-- {
		prev = (mt[i] ^ ((prev ^ (prev >> 30)) * 1664525)) + key[j] + uint32(j)
		mt[i] = prev
		i++
		j++
		if i >= mtN {
			mt[0] = prev
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k := mtN - 1; k > 0; k-- {
		prev = (mt[i] ^ ((prev ^ (prev >> 30)) * 1566083941)) - uint32(i)
		mt[i] = prev
		i++
		if i >= mtN {
			mt[0] = prev
			i = 1
		}
	}
	mt[0] = 0x80000000
}

func (r *pyRandom) uint32() uint32 {
	if r.index >= mtN {
		mt := &r.mt
		var kk int
		for kk = 0; kk < mtN-mtM; kk++ {
			y := (mt[kk] & upperMask) | (mt[kk+1] & lowerMask)
			mt[kk] = mt[kk+mtM] ^ (y >> 1) ^ (matrixA * (y & 1))
		}
		for ; kk < mtN-1; kk++ {
			y := (mt[kk] & upperMask) | (mt[kk+1] & lowerMask)
			mt[kk] = mt[kk+mtM-mtN] ^ (y >> 1) ^ (matrixA * (y & 1))
		}
		y := (mt[mtN-1] & upperMask) | (mt[0] & lowerMask)
		mt[mtN-1] = mt[mtM-1] ^ (y >> 1) ^ (matrixA * (y & 1))
		r.index = 0
	}
	y := r.mt[r.index]
	r.index++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// random is random.random(): 53 bits from two outputs.
func (r *pyRandom) random() float64 {
	a, b := r.uint32()>>5, r.uint32()>>6
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

// below is random._randbelow(n): rejection sampling on bit_length(n) bits,
// which is why it can consume more than one output.
func (r *pyRandom) below(n int) int {
	if n <= 0 || n > math.MaxUint32 {
		panic("synth: below out of range")
	}
	k := bits.Len32(uint32(n))
	for {
		v := int(r.uint32() >> (32 - k))
		if v < n {
			return v
		}
	}
}

// intn is random.randint(lo, hi), both ends included.
func (r *pyRandom) intn(lo, hi int) int { return lo + r.below(hi-lo+1) }

// pick is random.choice on a list of n elements: it returns an index.
func (r *pyRandom) pick(n int) int { return r.below(n) }

// weighted is random.choices(population, cum_weights=cum)[0] as an index:
// bisect_right over every cumulative weight but the last.
func (r *pyRandom) weighted(cum []float64) int {
	x := r.random() * cum[len(cum)-1]
	hi := len(cum) - 1
	return sort.Search(hi, func(i int) bool { return cum[i] > x })
}

// sample is random.sample(range(n), k): k distinct indices in draw order.
// Python switches algorithm on the population size; both are reproduced
// because they consume the generator differently.
func (r *pyRandom) sample(n, k int) []int {
	if k < 0 || k > n {
		panic("synth: sample larger than population")
	}
	out := make([]int, k)
	setsize := 21
	if k > 5 {
		setsize += int(math.Pow(4, math.Ceil(math.Log(float64(k*3))/math.Log(4))))
	}
	if n <= setsize {
		pool := make([]int, n)
		for i := range pool {
			pool[i] = i
		}
		for i := range k {
			j := r.below(n - i)
			out[i] = pool[j]
			pool[j] = pool[n-i-1]
		}
		return out
	}
	selected := make(map[int]bool, k)
	for i := range k {
		j := r.below(n)
		for selected[j] {
			j = r.below(n)
		}
		selected[j] = true
		out[i] = j
	}
	return out
}

// cumulative is itertools.accumulate over weights, summed in the same order
// so that the float totals match Python's bit for bit.
func cumulative(weights []float64) []float64 {
	cum := make([]float64, len(weights))
	var s float64
	for i, w := range weights {
		s += w
		cum[i] = s
	}
	return cum
}
