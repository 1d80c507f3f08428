/* vfork that stays a vfork (window.c says why). A wrapper in C cannot: the
 * child returns from it and reuses its stack frame, where the parent, woken
 * later, would find its return address overwritten. So, as glibc's own vfork
 * and the sanitizers' interceptors do, the return address is popped off the
 * stack into a thread-local slot first, and the wrapper returns by jumping
 * to it; what runs in C runs below the caller's frame, which the suspended
 * parent no longer uses. One slot per thread: a vfork from a signal handler
 * that interrupts this one in the same thread (vfork is not async-signal-
 * safe) would overwrite it, as it would the sanitizers' spill slot. */
#if defined(__x86_64__)
        .section .tbss,"awT",@nobits
        .balign 8
        .type   vfork_return, @object
        .size   vfork_return, 8
vfork_return:
        .zero   8

        .text
        .globl  vfork
        .type   vfork, @function
vfork:
        .cfi_startproc
        popq    %rsi                        /* the caller's return address */
        .cfi_adjust_cfa_offset -8
        .cfi_undefined rip
        movq    vfork_return@gottpoff(%rip), %rax   /* initial-exec: no __tls_get_addr */
        movq    %rsi, %fs:(%rax)
        call    fs_vfork_prepare            /* the stack is 16-byte aligned again */
        testl   %eax, %eax
        jz      1f
        movl    $58, %eax                   /* SYS_vfork */
        syscall
        movq    %rax, %rdi
        call    fs_vfork_returned           /* the child's window, or the parent's clean-up */
        jmp     2f
1:      call    fs_vfork_as_fork
2:      movq    vfork_return@gottpoff(%rip), %rdx
        movq    %fs:(%rdx), %rdx
        jmp     *%rdx
        .cfi_endproc
        .size   vfork, .-vfork
#endif
        .section .note.GNU-stack,"",@progbits
