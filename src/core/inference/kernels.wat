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
  (func (export "rowSums4")
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
)
