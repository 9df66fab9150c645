;; The arithmetic at the heart of the per-interval searches, two lanes at a time (f64x2).
;; Every sum adds its terms in the same order as the TypeScript it stands for, with the
;; same IEEE operations (no fused multiply-add), so the numbers are the same, bit for bit.
;; Compiled to kernelsWasm.ts by scripts/build-kernels.mjs; addresses are byte offsets.
(module
  (memory (export "mem") 1)

  ;; Lower bounds of many row groups at once: out[g] = sum over k < d of
  ;; min(((max(lo - x[k], x[k] - hi, 0)) * s[k])^2, cap), lo/hi the group's range for event k.
  ;; Groups come in pairs, interleaved: lo of group 2p + lane, event k, at lo + ((p * d + k) * 2 + lane) * 8.
  ;; An event not counted has s[k] = 0 (its term is then 0); ranges are finite.
  (func (export "rangeBounds")
    (param $lo i32) (param $hi i32) (param $x i32) (param $s i32) (param $out i32)
    (param $pairs i32) (param $d i32) (param $cap f64)
    (local $p i32) (local $k i32) (local $at i32) (local $acc v128) (local $xv v128)
    (local $g v128) (local $capv v128) (local $zero v128)
    (local.set $capv (f64x2.splat (local.get $cap)))
    (local.set $zero (f64x2.splat (f64.const 0)))
    (local.set $at (i32.const 0))
    (block $done
      (loop $pairLoop
        (br_if $done (i32.ge_u (local.get $p) (local.get $pairs)))
        (local.set $acc (local.get $zero))
        (local.set $k (i32.const 0))
        (block $eventsDone
          (loop $eventLoop
            (br_if $eventsDone (i32.ge_u (local.get $k) (local.get $d)))
            (local.set $xv (f64x2.splat (f64.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3))))))
            ;; pmax(a, b) is a < b ? b : a (one instruction; the same as max for numbers).
            (local.set $g
              (f64x2.mul
                (f64x2.pmax
                  (f64x2.pmax
                    (f64x2.sub (v128.load (i32.add (local.get $lo) (local.get $at))) (local.get $xv))
                    (f64x2.sub (local.get $xv) (v128.load (i32.add (local.get $hi) (local.get $at)))))
                  (local.get $zero))
                (f64x2.splat (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.pmin (local.get $capv) (f64x2.mul (local.get $g) (local.get $g)))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $eventLoop)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 4))) (local.get $acc))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pairLoop))))

  ;; Exact capped sums of eight rows: out[i] = sum over counted k (x[k] not NaN), in event
  ;; order, of min(((x[k] - row_i[k]) * s[k])^2, cap). Values at rows + (k * 8 + i) * 8;
  ;; a missing row value is +Infinity (its term is then the cap). pmin(cap, e²) is
  ;; e² < cap ? e² : cap, exactly the TypeScript's capped term (NaN included).
  (func (export "rowSums8")
    (param $rows i32) (param $x i32) (param $s i32) (param $out i32) (param $d i32) (param $cap f64)
    (local $k i32) (local $at i32) (local $v f64) (local $xv v128) (local $sv v128) (local $capv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $e v128)
    (local.set $capv (f64x2.splat (local.get $cap)))
    (local.set $a0 (f64x2.splat (f64.const 0)))
    (local.set $a1 (local.get $a0))
    (local.set $a2 (local.get $a0))
    (local.set $a3 (local.get $a0))
    (local.set $at (local.get $rows))
    (block $done
      (loop $eventLoop
        (br_if $done (i32.ge_u (local.get $k) (local.get $d)))
        (local.set $v (f64.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3)))))
        (if (f64.eq (local.get $v) (local.get $v))
          (then
            (local.set $xv (f64x2.splat (local.get $v)))
            (local.set $sv (f64x2.splat (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $e (f64x2.mul (f64x2.sub (local.get $xv) (v128.load (local.get $at))) (local.get $sv)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.pmin (local.get $capv) (f64x2.mul (local.get $e) (local.get $e)))))
            (local.set $e (f64x2.mul (f64x2.sub (local.get $xv) (v128.load offset=16 (local.get $at))) (local.get $sv)))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.pmin (local.get $capv) (f64x2.mul (local.get $e) (local.get $e)))))
            (local.set $e (f64x2.mul (f64x2.sub (local.get $xv) (v128.load offset=32 (local.get $at))) (local.get $sv)))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.pmin (local.get $capv) (f64x2.mul (local.get $e) (local.get $e)))))
            (local.set $e (f64x2.mul (f64x2.sub (local.get $xv) (v128.load offset=48 (local.get $at))) (local.get $sv)))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.pmin (local.get $capv) (f64x2.mul (local.get $e) (local.get $e)))))))
        (local.set $at (i32.add (local.get $at) (i32.const 64)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $eventLoop)))
    (v128.store (local.get $out) (local.get $a0))
    (v128.store offset=16 (local.get $out) (local.get $a1))
    (v128.store offset=32 (local.get $out) (local.get $a2))
    (v128.store offset=48 (local.get $out) (local.get $a3)))

  ;; The same for four rows: values at rows + (k * 4 + i) * 8.
  (func $rowSums4 (export "rowSums4")
    (param $rows i32) (param $x i32) (param $s i32) (param $out i32) (param $d i32) (param $cap f64)
    (local $k i32) (local $at i32) (local $v f64) (local $xv v128) (local $sv v128) (local $capv v128)
    (local $a0 v128) (local $a1 v128) (local $e v128)
    (local.set $capv (f64x2.splat (local.get $cap)))
    (local.set $a0 (f64x2.splat (f64.const 0)))
    (local.set $a1 (local.get $a0))
    (local.set $at (local.get $rows))
    (block $done
      (loop $eventLoop
        (br_if $done (i32.ge_u (local.get $k) (local.get $d)))
        (local.set $v (f64.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3)))))
        (if (f64.eq (local.get $v) (local.get $v))
          (then
            (local.set $xv (f64x2.splat (local.get $v)))
            (local.set $sv (f64x2.splat (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $e (f64x2.mul (f64x2.sub (local.get $xv) (v128.load (local.get $at))) (local.get $sv)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.pmin (local.get $capv) (f64x2.mul (local.get $e) (local.get $e)))))
            (local.set $e (f64x2.mul (f64x2.sub (local.get $xv) (v128.load offset=16 (local.get $at))) (local.get $sv)))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.pmin (local.get $capv) (f64x2.mul (local.get $e) (local.get $e)))))))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $eventLoop)))
    (v128.store (local.get $out) (local.get $a0))
    (v128.store offset=16 (local.get $out) (local.get $a1)))

  ;; Dot products of z with many vectors, four at a time: out[c] = sum over k < d, in event
  ;; order, of z[k] * vec_c[k]. Vectors come in quads, interleaved: vector 4q + lane, event
  ;; k, at vecs + ((q * d + k) * 4 + lane) * 8.
  (func (export "dots4")
    (param $vecs i32) (param $z i32) (param $out i32) (param $quads i32) (param $d i32)
    (local $q i32) (local $k i32) (local $at i32) (local $zv v128) (local $a0 v128) (local $a1 v128)
    (local.set $at (local.get $vecs))
    (block $done
      (loop $quadLoop
        (br_if $done (i32.ge_u (local.get $q) (local.get $quads)))
        (local.set $a0 (f64x2.splat (f64.const 0)))
        (local.set $a1 (local.get $a0))
        (local.set $k (i32.const 0))
        (block $eventsDone
          (loop $eventLoop
            (br_if $eventsDone (i32.ge_u (local.get $k) (local.get $d)))
            (local.set $zv (f64x2.splat (f64.load (i32.add (local.get $z) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $zv) (v128.load (local.get $at)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $zv) (v128.load offset=16 (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (i32.const 32)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $eventLoop)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 5))) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 5))) (local.get $a1))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $quadLoop))))
;; The nearest-scenario search when only the best counts (ScenarioIndex.scan with
  ;; bestOnly), whole, so that it costs one call instead of one per run of prototypes.
  ;; Runs from $first round; a run is skipped when its bound (f64 at $bounds + r * 8)
  ;; reaches b1 * n * slack + slop; otherwise each of its chunks of four prototypes is
  ;; summed by rowSums4 into $sums and each prototype p whose sum is below b1 * n makes
  ;; b1 = sum / n (when its label is the best's, or when that is below b1) and the best
  ;; its label. runChunk and runStart hold runs + 1 i32s, labels one i32 per prototype.
  ;; Returns the best label (-1: none below the starting b1) and stores b1 at $result.
  (func (export "scanBest")
    (param $bounds i32) (param $runChunk i32) (param $runStart i32) (param $labels i32)
    (param $chunks i32) (param $z i32) (param $inv i32) (param $sums i32)
    (param $runs i32) (param $first i32) (param $d i32) (param $cap f64)
    (param $n f64) (param $slack f64) (param $slop f64) (param $b1 f64) (param $result i32)
    (result i32)
    (local $qr i32) (local $r i32) (local $c i32) (local $cEnd i32) (local $c0 i32)
    (local $p i32) (local $pEnd i32) (local $from i32) (local $l1 i32) (local $label i32)
    (local $sum f64) (local $dist f64) (local $chunkBytes i32)
    (local.set $l1 (i32.const -1))
    (local.set $chunkBytes (i32.shl (local.get $d) (i32.const 5)))
    (block $done
      (loop $runLoop
        (br_if $done (i32.ge_u (local.get $qr) (local.get $runs)))
        (local.set $r (i32.add (local.get $first) (local.get $qr)))
        (if (i32.ge_u (local.get $r) (local.get $runs))
          (then (local.set $r (i32.sub (local.get $r) (local.get $runs)))))
        (local.set $qr (i32.add (local.get $qr) (i32.const 1)))
        ;; The same drop test as the TypeScript: bound >= (b1 * n) * slack + slop skips the run.
        (br_if $runLoop
          (f64.ge
            (f64.load (i32.add (local.get $bounds) (i32.shl (local.get $r) (i32.const 3))))
            (f64.add (f64.mul (f64.mul (local.get $b1) (local.get $n)) (local.get $slack)) (local.get $slop))))
        (local.set $c0 (i32.load (i32.add (local.get $runChunk) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $cEnd (i32.load offset=4 (i32.add (local.get $runChunk) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $c (local.get $c0))
        (block $chunksDone
          (loop $chunkLoop
            (br_if $chunksDone (i32.ge_u (local.get $c) (local.get $cEnd)))
            (call $rowSums4
              (i32.add (local.get $chunks) (i32.mul (local.get $c) (local.get $chunkBytes)))
              (local.get $z) (local.get $inv)
              (i32.add (local.get $sums) (i32.shl (i32.sub (local.get $c) (local.get $c0)) (i32.const 5)))
              (local.get $d) (local.get $cap))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $chunkLoop)))
        (local.set $from (i32.load (i32.add (local.get $runStart) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pEnd (i32.load offset=4 (i32.add (local.get $runStart) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $p (local.get $from))
        (block $protosDone
          (loop $protoLoop
            (br_if $protosDone (i32.ge_u (local.get $p) (local.get $pEnd)))
            (local.set $sum (f64.load (i32.add (local.get $sums) (i32.shl (i32.sub (local.get $p) (local.get $from)) (i32.const 3)))))
            (if (f64.lt (local.get $sum) (f64.mul (local.get $b1) (local.get $n)))
              (then
                (local.set $dist (f64.div (local.get $sum) (local.get $n)))
                (local.set $label (i32.load (i32.add (local.get $labels) (i32.shl (local.get $p) (i32.const 2)))))
                (if (i32.eq (local.get $label) (local.get $l1))
                  (then (local.set $b1 (local.get $dist)))
                  (else
                    (if (f64.lt (local.get $dist) (local.get $b1))
                      (then
                        (local.set $l1 (local.get $label))
                        (local.set $b1 (local.get $dist))))))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $protoLoop)))
        (br $runLoop)))
    (f64.store (local.get $result) (local.get $b1))
    (local.get $l1))
)
