;;; The store and lowering through the Scheme API: the shared Guix vectors
;;; (../shared/vectors/store-paths.json) must hold through (guix store),
;;; (guix derivations) and (guix gexp), as Guix computes them.

(use-modules (srfi srfi-64)
             (guix store)
             (guix derivations)
             (guix gexp)
             (guix monads)
             (guix packages)
             (guix download)
             (guix base32))

(test-begin "lowering")

;; an in-memory store: paths and .drv texts, nothing written
(define store (open-connection #:memory? #t))

(define hello-sha256
  (nix-base32-string->bytevector
   "1x9gyyamm7d9p2hm06hx9vx6gm4sd1mksxqlqfxaajl44i34q0fr"))

(test-equal "%store-prefix" "/gnu/store" (%store-prefix))

(test-equal "add-text-to-store hello.txt"
  "/gnu/store/lnqjid21cvqw4c4kh7xnj2ikp2d0qfnb-hello.txt"
  (add-text-to-store store "hello.txt" "Hello, world!\n" '()))

(test-equal "add-text-to-store greeting"
  "/gnu/store/kf5xdax4ymmkpkdfm5w0xgzcyr72d0ls-greeting"
  (add-text-to-store store "greeting" "hi\n" '()))

(test-equal "fixed-output-path, flat sha256"
  "/gnu/store/fa9swqqcdrd0asfpfimdx80gx7jz7457-foo.tar.gz"
  (fixed-output-path "foo.tar.gz" hello-sha256 #:hash-algo 'sha256 #:recursive? #f))

(test-assert "fixed-output-path is recursive by default, as in Guix"
  (not (string=? (fixed-output-path "foo.tar.gz" hello-sha256)
                 (fixed-output-path "foo.tar.gz" hello-sha256 #:recursive? #f))))

(define hello-file
  (let ((file (string-append (or (getenv "TMPDIR") "/tmp") "/schemos-lowering-hello.txt")))
    (call-with-output-file file (lambda (port) (display "Hello, world!\n" port)))
    file))

(test-equal "add-to-store, flat"
  "/gnu/store/l6irvhjpqzqkx3zy2ryfps4iy0bxzvzf-hello.txt"
  (add-to-store store "hello.txt" #f "sha256" hello-file))

(define drv
  (derivation store "foo" "/bin/sh" '("-c" "echo hi > $out")
              #:env-vars '(("A" . "1")) #:system "x86_64-linux"))

(test-equal "derivation-file-name"
  "/gnu/store/8ir5kp8y1980lhxz0451kj16as7896hp-foo.drv"
  (derivation-file-name drv))

(test-equal "derivation->output-path"
  "/gnu/store/mmiky5yzz01ki71k9k7fn4ndvf2483vr-foo"
  (derivation->output-path drv))

(test-equal "derivation text"
  "Derive([(\"out\",\"/gnu/store/mmiky5yzz01ki71k9k7fn4ndvf2483vr-foo\",\"\",\"\")],[],[],\"x86_64-linux\",\"/bin/sh\",[\"-c\",\"echo hi > $out\"],[(\"A\",\"1\"),(\"out\",\"/gnu/store/mmiky5yzz01ki71k9k7fn4ndvf2483vr-foo\")])"
  (derivation->string drv))

(define fixed
  (derivation store "foo.tar.gz" "builtin:download" '()
              #:env-vars '(("url" . "\"https://example.org/foo.tar.gz\""))
              #:hash hello-sha256 #:hash-algo 'sha256 #:recursive? #f
              #:system "x86_64-linux"))

(test-equal "fixed-output derivation file name"
  "/gnu/store/r0xv734vy8g0wy8zna46kxrigbh9z7c5-foo.tar.gz.drv"
  (derivation-file-name fixed))

(test-equal "fixed-output derivation outputs"
  '(("out" . "/gnu/store/fa9swqqcdrd0asfpfimdx80gx7jz7457-foo.tar.gz"))
  (map (lambda (o) (cons (car o) (derivation-output-path (cdr o))))
       (derivation-outputs fixed)))

(test-equal "derivation-output-hash-algo" 'sha256
  (derivation-output-hash-algo (cdar (derivation-outputs fixed))))

(test-assert "fixed-output-derivation?" (fixed-output-derivation? fixed))

(test-eq "read-derivation-from-file gives the same derivation" fixed
  (read-derivation-from-file (derivation-file-name fixed)))

(test-equal "plain-file lowered with lower-object (the vector)"
  "/gnu/store/lnqjid21cvqw4c4kh7xnj2ikp2d0qfnb-hello.txt"
  (run-with-store store (lower-object (plain-file "hello.txt" "Hello, world!\n"))))

(test-equal "local-file, flat"
  "/gnu/store/l6irvhjpqzqkx3zy2ryfps4iy0bxzvzf-hello.txt"
  (run-with-store store (lower-object (local-file hello-file "hello.txt"))))

(test-equal "an origin lowers to builtin:download, with Guix's output path"
  "/gnu/store/fa9swqqcdrd0asfpfimdx80gx7jz7457-foo.tar.gz"
  (derivation->output-path
   (run-with-store store
     (lower-object (origin (method url-fetch)
                           (uri "https://example.org/foo.tar.gz")
                           (sha256 hello-sha256))))))

;; A stand-in for the Guile that runs builders, so that these tests need no
;; package.
(define guile (derivation store "guile" "/bin/sh" '() #:system "x86_64-linux"))

(define computed
  (computed-file "dir"
                 #~(begin
                     (mkdir #$output)
                     (symlink #$(plain-file "hello.txt" "Hello, world!\n")
                              (string-append #$output "/hello")))))

(define computed-drv
  (run-with-store store (lower-object computed) #:guile-for-build guile))

(test-assert "computed-file lowers to a derivation" (derivation? computed-drv))

(test-equal "its builder is Guile running the builder script"
  (list (string-append (derivation->output-path guile) "/bin/guile")
        "--no-auto-compile")
  (list (derivation-builder computed-drv)
        (car (derivation-builder-arguments computed-drv))))

(test-assert "the plain file is an input source"
  (member "/gnu/store/lnqjid21cvqw4c4kh7xnj2ikp2d0qfnb-hello.txt"
          (derivation-sources computed-drv)))

(test-equal "computed files are built locally"
  "1" (assoc-ref (derivation-builder-environment-vars computed-drv)
                 "preferLocalBuild"))

(define union-drv
  (run-with-store store
    (lower-object (file-union "etc" `(("hosts" ,(plain-file "hosts" "127.0.0.1 localhost\n")))))
    #:guile-for-build guile))

(test-assert "file-union imports (guix build utils): -L and -C in its arguments"
  (and (member "-L" (derivation-builder-arguments union-drv))
       (member "-C" (derivation-builder-arguments union-drv))))

(test-assert "…and the compiled modules are an input derivation"
  (any (lambda (input)
         (string-suffix? "-module-import-compiled.drv" (derivation-input-path input)))
       (derivation-inputs union-drv)))

(define-values (native-input target-input)
  (let ((g #~(list #+(plain-file "a" "a") #$(plain-file "b" "b"))))
    (values (car (gexp-inputs g)) (cadr (gexp-inputs g)))))

(test-assert "#+ inputs are native" (gexp-input-native? native-input))
(test-assert "#$ inputs are not" (not (gexp-input-native? target-input)))

(test-equal "gexp->derivation: the same gexp gives the same derivation"
  (derivation-file-name
   (run-with-store store (gexp->derivation "same" #~(mkdir #$output)
                                           #:guile-for-build guile)))
  (derivation-file-name
   (run-with-store store (gexp->derivation "same" #~(mkdir #$output)
                                           #:guile-for-build guile))))

(test-equal "mixed-text-file writes file names in place"
  '("/gnu/store/lnqjid21cvqw4c4kh7xnj2ikp2d0qfnb-hello.txt")
  (filter (lambda (s) (string-suffix? "hello.txt" s))
          (derivation-sources
           (run-with-store store
             (lower-object (mixed-text-file "profile" "cat "
                                            (plain-file "hello.txt" "Hello, world!\n")))
             #:guile-for-build guile))))

(test-equal "file-append expands to the file name and suffix"
  "/gnu/store/lnqjid21cvqw4c4kh7xnj2ikp2d0qfnb-hello.txt/x"
  (run-with-store store
    (lower+expand-object (file-append (plain-file "hello.txt" "Hello, world!\n") "/x"))))

(close-connection store)

(test-end "lowering")
